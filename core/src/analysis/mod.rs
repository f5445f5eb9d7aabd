//! Analysis of scored runs: what the numbers say about groups and institutions.
//!
//! **Owns** group summaries ([`mod@summary`]: by jurisdiction, level, type or any metadata
//! column, with the national row), gaps ("brechas", [`mod@gaps`]) and single-institution
//! explanations ([`mod@explain`]: contributions and the gain if an item reached 1), and
//! the figures of printable fichas ([`mod@ficha`]: one institution or one state).
//!
//! Comparisons of two runs ([`mod@compare`]: matched by id or crosswalk, changes, rank
//! and quadrant transitions, data and method effects).
//!
//! **Uses** [`crate::scoring`] (plans and scores), [`crate::input`] (datasets,
//! institutions, crosswalks) and [`crate::edition`] (settings). Nothing below it imports it.

pub mod compare;
pub mod explain;
pub mod ficha;
pub mod gaps;
pub mod improve;
pub mod summary;

pub use compare::{compare, CompareOptions, Comparison, InstitutionChange, MatchStatus, RankInterval, RankIntervals};
pub use explain::{explain, Explanation, ItemContribution};
pub use ficha::{institution_ficha, state_ficha, FichaContext, InstitutionFicha, StateFicha};
pub use gaps::{gaps, Gap};
pub use improve::{
    frontier, improve, improve_all, Action, FrontierPoint, ImproveOptions, Improvement, NodeCost, Target,
};
pub use summary::{summary, GroupBy, GroupSummary, NodeStats, Summary};
