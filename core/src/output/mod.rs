//! Output: results written for people and programs.
//!
//! **Owns** the score and summary tables as text cells, CSV and JSON ([`tables`]), and the
//! robustness tables ([`robustness`]: rank intervals, runs, Sobol' indices), with values at
//! full precision (shortest round-trip) or rounded half up for display only, and the
//! printable fichas as self-contained HTML ([`ficha`]: inline CSS and SVG, A4).
//!
//! The comparison tables are in [`mod@compare`] (institutions, quadrant transitions,
//! groups, movers).
//!
//! **Uses** [`crate::scoring`] (scores), [`crate::analysis`] (summaries),
//! [`crate::robustness`] (its results),
//! [`crate::edition`] (node order) and [`crate::input`] (the CSV writer). It is the top
//! of the dependency order: nothing in the crate imports it.

pub mod compare;
pub mod ficha;
pub mod improve;
#[cfg(feature = "robustness")]
pub mod robustness;
pub mod tables;
