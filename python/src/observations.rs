//! Raw evidence (core `observations`): the CKAN catalogue scorer. Convert the arguments,
//! call the core, convert the result; the rules and the arithmetic stay in the core.

use apertura::edition::date::Date;
use apertura::observations::catalogue::{score_ckan, CatalogueRules, ReferenceDate};
use pyo3::prelude::*;
use pythonize::pythonize;

use crate::error::{call, usage};

/// Scores a CKAN ``package_search`` export (JSON text; ``source`` names it in errors):
/// ``{"reference_date": "YYYY-MM-DD" | None, "datasets": [...], "organizations": [...]}``,
/// each dataset ``{id, name, organization, online, free, machine_readable, bulk,
/// open_licence, up_to_date, open, score, license_id, metadata_modified, age_days, formats,
/// row}`` and each organization ``{id, name, datasets, online, free, machine_readable,
/// open_licence, up_to_date, bulk, open, tg.da}``. ``reference_date`` (``YYYY-MM-DD``) and
/// ``max_age_days`` override the rules; ``rules`` is a whole rules file (TOML text, every
/// table of ``core/catalogue/ckan.toml``) instead of the shipped one.
#[pyfunction]
#[pyo3(signature = (text, source = "input", *, reference_date = None, max_age_days = None, rules = None))]
pub fn catalogue<'py>(
    py: Python<'py>,
    text: &str,
    source: &str,
    reference_date: Option<&str>,
    max_age_days: Option<u32>,
    rules: Option<&str>,
) -> PyResult<Bound<'py, PyAny>> {
    let scores = call(py, || {
        let mut r = match rules {
            Some(toml) => CatalogueRules::from_toml_str(toml)?,
            None => CatalogueRules::default(),
        };
        if let Some(d) = reference_date {
            let d = Date::parse(d).map_err(|e| usage("invalid_option", format!("reference_date: {e}")))?;
            r.reference_date.value = ReferenceDate::On(d);
        }
        if let Some(n) = max_age_days {
            r.max_age_days.value = n;
        }
        Ok(score_ckan(text, source, &r)?)
    })?;
    Ok(pythonize(py, &scores)?)
}
