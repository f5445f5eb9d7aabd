//! Observations: raw evidence turned into items.
//!
//! **Owns** the simulated information requests and participation proposals of the citizen
//! perspective and their scoring into item columns ([`requests`]), and a data catalogue's
//! CKAN export scored into the open-data item `tg.da` ([`catalogue`], its rules in
//! `core/catalogue/ckan.toml`). The scorers and the working-day calendar they apply are
//! part of the method, so they live in [`crate::edition`] ([`crate::edition::celeridad`],
//! [`crate::edition::calendar`]); this module applies them to evidence.
//!
//! **Uses** [`crate::edition`], [`crate::input`] (the dataset it adds columns to) and
//! [`crate::scoring`] (the plan's settings). Nothing below it imports it.

pub mod catalogue;
pub mod requests;
