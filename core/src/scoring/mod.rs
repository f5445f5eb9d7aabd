//! Scoring: an edition compiled into a [`Plan`] and evaluated over data.
//!
//! **Owns** the compiled plan ([`plan`]: settings, swappable weights), data mapped onto it
//! and checked ([`prepared`]), the row kernels ([`kernels`]: `evaluate_into`, allocation
//! free), the column kernel ([`columns`]: `score_columns`), the results ([`scores`]:
//! [`Scores`], [`Scorecard`]) and ranking with the T x P quadrants ([`ranking`]), which
//! every kernel shares.
//!
//! **Uses** [`crate::edition`] (the tree, settings, aggregation arithmetic) and
//! [`crate::input`] (datasets, institutions). Analysis, observations, robustness and
//! output build on it; it imports none of them.

pub mod columns;
pub mod kernels;
pub mod plan;
pub mod prepared;
pub mod ranking;
pub mod scores;

pub use columns::{ColumnScores, NodeValues, SharedColumnScores};
pub use plan::{Plan, WeightSlot};
pub use prepared::Prepared;
pub use ranking::{Quadrant, ScoreColumn};
pub use scores::{Scorecard, Scores};
