//! `apertura catalogue`: a CKAN `package_search` export (JSON) scored into GODI-style
//! answers per dataset and the MGA item `tg.da` per organization, printed as CSV.

use std::path::{Path, PathBuf};

use apertura::edition::date::Date;
use apertura::observations::catalogue::{
    datasets_to_csv, organizations_to_csv, organizations_to_dataset, score_ckan, CatalogueRules, ReferenceDate,
};
use apertura::Error;

/// What one row of the output is.
#[derive(Clone, Copy, clap::ValueEnum, PartialEq, Eq)]
pub enum By {
    /// One row per CKAN organization (institution): counts and tg.da.
    Organization,
    /// One row per package (dataset): every answer.
    Dataset,
}

/// The arguments of `apertura catalogue`.
#[derive(clap::Args)]
pub struct CatalogueArgs {
    /// CKAN export: a package_search response, `{"results": [...]}` or a list of packages.
    pub file: PathBuf,
    /// Edition whose tg.da item the values are for (checked to have one).
    #[arg(long, default_value = "mga-2017")]
    pub edition: String,
    /// Day ages are counted to. Default: the latest metadata_modified in the export.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub reference_date: Option<String>,
    /// Largest age in days of an up-to-date dataset (default: the rules', 365).
    #[arg(long, value_name = "N")]
    pub max_age_days: Option<u32>,
    /// One row per organization (default) or per dataset.
    #[arg(long, value_enum, default_value = "organization")]
    pub by: By,
    /// Rules file (TOML, every table of core/catalogue/ckan.toml). Default: the shipped rules.
    #[arg(long, value_name = "FILE")]
    pub rules: Option<PathBuf>,
    /// Write the CSV to this file instead of the standard output.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Runs the command; returns what goes to the standard output.
pub fn run(a: &CatalogueArgs) -> Result<String, Error> {
    let edition = super::load_edition(&a.edition)?;
    let mut rules = match &a.rules {
        Some(path) => CatalogueRules::from_toml_str(&super::read_text(path)?)?,
        None => CatalogueRules::default(),
    };
    if let Some(text) = &a.reference_date {
        let d = Date::parse(text).map_err(|e| Error::Usage {
            code: "invalid_option",
            message: format!("--reference-date: {e}"),
        })?;
        rules.reference_date.value = ReferenceDate::On(d);
    }
    if let Some(n) = a.max_age_days {
        rules.max_age_days.value = n;
    }
    let name = a
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| a.file.display().to_string());
    let scores = score_ckan(&super::read_text(&a.file)?, &name, &rules)?;
    // The values must fit the edition's tg.da item, whichever table is printed.
    organizations_to_dataset(&scores.organizations, &edition)?;
    let csv = match a.by {
        By::Organization => organizations_to_csv(&scores.organizations),
        By::Dataset => datasets_to_csv(&scores.datasets),
    };
    match &a.output {
        Some(path) => {
            super::write_text(Path::new(path), &csv)?;
            Ok(String::new())
        }
        None => Ok(csv),
    }
}
