//! Robustness analysis: how far to trust every score and rank.
//!
//! **Owns** the uncertain inputs ([`factors`]: weights, weight sets, aggregations,
//! settings, data, each a named [`Factor`]), the seeded and exchangeable designs
//! ([`design`]: Sobol' or pseudo-random, CSV import and export), the engine that
//! evaluates runs on the compiled plan ([`engine`]), the uncertainty analysis
//! ([`uncertainty()`]: rank and score intervals per institution and group, rank shift and
//! Spearman's rho per run) and the sensitivity analysis ([`sensitivity()`]: Sobol'
//! first-order and total indices of every institution's score and rank, `R_S` and the
//! national mean, with bootstrap intervals and convergence), and the statistics they share
//! ([`stats`]).
//!
//! **Uses** [`crate::scoring`] (a [`Plan`](crate::Plan) whose weights and aggregations
//! are swapped per run, and its kernels: no arithmetic is written twice), [`crate::input`],
//! [`crate::edition`], [`crate::analysis`] (groups) and [`crate::observations`]
//! (request-level evidence rescored per setting). Nothing below it imports it.

pub mod design;
pub mod engine;
pub mod factors;
pub mod sensitivity;
pub mod stats;
pub mod uncertainty;

pub use design::{Design, SaDesign, Sampler};
pub use engine::{Evidence, Progress};
pub use factors::{Factor, FactorKind, FactorSpec, GeometricZeros, WeightSet};
pub use sensitivity::{
    sensitivity, sobol_indices, ConstantTarget, Convergence, SaOutputs, SaRun, Sensitivity, SensitivityOptions,
    SobolIndex, Target,
};
pub use uncertainty::{
    uncertainty, Distribution, GroupInterval, InstitutionInterval, RunRecord, Uncertainty, UncertaintyOptions,
};
