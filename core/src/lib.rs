//! # apertura
//!
//! A scoring engine for Mexico's **Métrica de Gobierno Abierto** (MGA, Open Government
//! Metric): the index INAI and CIDE (later El Colegio de México) used in 2017, 2019, 2021
//! and 2023 to measure how open Mexican public institutions are.
//!
//! * An [`Edition`] is the methodology as data (tree, weights, gates, scorers, settings,
//!   each with its provenance), loaded from TOML or JSON and validated.
//! * A [`Plan`] is an edition compiled with [`Settings`] and swappable weights; it scores a
//!   [`Dataset`] of [`Institution`]s observed at any node into [`Scores`].
//! * [`analysis`] summarises by group, computes gaps ("brechas") and explains one
//!   institution; [`requests`] scores simulated information requests and participation
//!   proposals into items; [`io`] reads and writes CSV and JSON.
//!
//! The crate is arranged by domain, one folder per concern, dependencies running one way:
//! [`edition`] (the method) ← [`input`] (data) ← [`scoring`] (plans, kernels, ranks) ←
//! [`analysis`], [`observations`] ← [`robustness`] ← [`output`]. See `ARCHITECTURE.md`.
//!
//! ```
//! use apertura::{io, Edition, Options, Plan};
//! let edition = Edition::load("mga-2017")?;
//! let plan = Plan::new(&edition, &Options::default())?;
//! let csv = "id,tg,tc,pg,pc\na,0.4,0.6,0.2,0.2\nb,1,1,1,1\n";
//! let data = io::read_csv(csv.as_bytes(), &edition, "example.csv")?;
//! let scores = plan.score(&data)?;
//! assert_eq!(scores.get(1, "iga"), Some(1.0));
//! assert_eq!(scores.rank, vec![2, 1]);
//! # Ok::<(), apertura::Error>(())
//! ```
#![forbid(unsafe_code)]

// Domain folders, in dependency order: each uses only those above it.
pub mod analysis;
pub mod edition;
pub mod error;
pub mod input;
pub mod observations;
pub mod output;
#[cfg(feature = "robustness")]
pub mod robustness;
pub mod scoring;
pub mod synthetic;

/// Readers and writers, in one place: the readers of [`input::read`], the CSV writers of
/// [`input::write`] and the result tables of [`output::tables`] (the path every binding
/// uses: `apertura::io::read_csv`, `apertura::io::scores_to_json`...).
pub mod io {
    #[cfg(feature = "csv")]
    pub use crate::input::crosswalk::read_crosswalk;
    pub use crate::input::read::*;
    pub use crate::input::write::*;
    pub use crate::output::compare::*;
    pub use crate::output::improve::*;
    #[cfg(feature = "robustness")]
    pub use crate::output::robustness::*;
    pub use crate::output::tables::*;
}

pub use edition::{calendar, celeridad, settings};
pub use observations::catalogue::{CatalogueRules, CatalogueScores, DatasetAnswers, OrganizationAnswers};
pub use observations::requests;

pub use analysis::{compare, CompareOptions, Comparison};
pub use analysis::{explain, gaps, summary, Explanation, Gap, GroupBy, Summary};
pub use edition::{editions, Edition, EditionDef, EditionStatus, EditionSummary, Tag, TreeRow};
pub use error::{
    EditionError, Error, InputError, InputErrorKind, InputErrors, Result, RobustnessError, RobustnessErrorKind,
};
pub use input::crosswalk::Crosswalk;
pub use input::{Cell, Column, Dataset, Institution, InstitutionType, Jurisdiction, Level};
pub use scoring::ranking::round_half_up;
pub use scoring::{
    ColumnScores, NodeValues, Plan, Prepared, Quadrant, ScoreColumn, Scorecard, Scores, SharedColumnScores,
};
pub use settings::{GateMode, Incomplete, MismatchPolicy, NationalMean, NotApplicablePolicy, Options, Settings};

/// The crate README's examples (`core/README.md`, the page crates.io shows), compiled as
/// doctests so they cannot rot. The repository README's are doctested by `apertura-conformance`.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

/// The crate version.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
