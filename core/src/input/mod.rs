//! Input: institutions and their observations, and the readers that build them.
//!
//! **Owns** the [`Dataset`] (observations at any node: value, missing, not applicable),
//! the [`Institution`] and its vocabularies ([`Jurisdiction`], [`Level`],
//! [`InstitutionType`]), the CSV/JSON readers (wide, long, records, columns: [`read`];
//! column by column: [`columnar`]; grouped long files of other instruments: [`grouped`];
//! row filters: [`filter`]), crosswalks between two files of institutions ([`crosswalk`]) and
//! the writer of a dataset back to CSV ([`mod@write`]).
//!
//! **Uses** [`crate::edition`] (to resolve column names to nodes) and [`crate::error`].
//! Scoring and everything above it read datasets; nothing here knows about scores.

pub mod columnar;
pub mod costs;
pub mod crosswalk;
#[cfg(feature = "csv")]
pub mod csv;
pub mod dataset;
pub mod filter;
pub mod grouped;
pub mod institution;
#[cfg(feature = "json")]
pub mod json;
pub mod read;
pub mod write;

pub use dataset::{Cell, Column, Dataset};
pub use institution::{Institution, InstitutionType, Jurisdiction, Level};
