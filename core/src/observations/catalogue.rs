//! A data catalogue's raw evidence scored into the MGA's open-data item, `tg.da`.
//!
//! datos.gob.mx ran on CKAN. [`read_package_search`] reads a CKAN `package_search` export
//! into [`Package`]s; [`score_catalogue`] answers, per package, the GODI/ODB-style
//! questions a catalogue can answer ([`DatasetAnswers`]: online, free, machine-readable,
//! bulk, open licence, up to date) and gives each CKAN organization (the institution) its
//! counts and a `tg.da` value in [0, 1] ([`OrganizationAnswers`]). Every rule is a named
//! [`Setting`](crate::settings::Setting) of [`CatalogueRules`], shipped with its provenance in
//! `core/catalogue/ckan.toml`:
//!
//! * **online**: a resource has a non-empty `url`;
//! * **free**: assumed Yes for a public CKAN `[I]`;
//! * **machine-readable**: a resource with a URL has a format listed in
//!   `machine_readable_formats` `[I]` (see [`CatalogueRules::is_machine_readable`]);
//! * **bulk**: a resource at a downloadable URL (`download_schemes` `[I]`) has a file format
//!   (not in `non_file_formats`: services and pages `[I]`);
//! * **open licence**: `license_id` in CKAN's open licences `[V]`, the Open Definition's
//!   conformant list `[V]` or Libre Uso MX `[I]`;
//! * **up to date**: `metadata_modified` at most `max_age_days` (365 `[?]`) before the
//!   reference date (`reference_date`: the latest `metadata_modified` in the export unless
//!   given `[?]`; never the wall clock);
//! * **tg.da** `[?]`: the share of the organization's datasets that are open
//!   (`open_requires`: machine-readable and openly licensed `[I]`), or with `tg_da_rule =
//!   "points"` the mean of GODI 2015's points of each dataset's Yes answers `[I]`.
//!
//! The MGA's own coding of DA is unknown (methodology addendum 2.4), so the value is a
//! documented stand-in. [`organizations_to_dataset`] turns it into a [`Dataset`] column
//! `tg.da`, ready to merge into MGA data; [`organizations_to_csv`] and [`datasets_to_csv`]
//! write the answers.
//!
//! ```
//! use apertura::observations::catalogue::{score_ckan, CatalogueRules};
//! let export = r#"{"success": true, "result": {"count": 2, "results": [
//!   {"name": "presupuesto", "organization": {"name": "shcp", "title": "SHCP"},
//!    "license_id": "mx-lu", "metadata_modified": "2016-05-02T10:00:00",
//!    "resources": [{"format": "CSV", "url": "https://datos.gob.mx/p.csv"}]},
//!   {"name": "informe", "organization": {"name": "shcp", "title": "SHCP"},
//!    "license_id": "mx-lu", "metadata_modified": "2014-01-15T10:00:00",
//!    "resources": [{"format": "PDF", "url": "https://datos.gob.mx/i.pdf"}]}]}}"#;
//! let scores = score_ckan(export, "export.json", &CatalogueRules::default())?;
//! let shcp = &scores.organizations[0];
//! assert_eq!((shcp.id.as_str(), shcp.datasets, shcp.open), ("shcp", 2, 1));
//! assert_eq!(shcp.tg_da, 0.5); // one of its two datasets is open
//! # Ok::<(), apertura::Error>(())
//! ```

pub mod ckan;
pub mod rules;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use ckan::{parse_ckan_date, read_package_search, Catalogue, Organization, Package, Resource};
pub use rules::{
    format_tokens, normalize_licence, Answer, CatalogueRules, Points, ReferenceDate, TgDaRule, CKAN_RULES_TOML,
};

use crate::edition::date::Date;
use crate::edition::Edition;
use crate::error::{Error, Result};
#[cfg(feature = "csv")]
use crate::input::write::to_csv;
use crate::input::{Dataset, Institution};

/// The item the catalogue scores: "datos abiertos" of the government perspective.
pub const TG_DA: &str = "tg.da";

/// The answers for one CKAN package (dataset).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DatasetAnswers {
    /// Package name.
    pub id: String,
    /// Package title.
    pub name: String,
    /// Organization id (`None`: the package has none and counts for no institution).
    pub organization: Option<String>,
    /// At least one resource has a URL.
    pub online: bool,
    /// Free of charge (the `free` rule).
    pub free: bool,
    /// At least one resource with a URL has a machine-readable format.
    pub machine_readable: bool,
    /// At least one file resource at a downloadable URL.
    pub bulk: bool,
    /// The licence is open.
    pub open_licence: bool,
    /// Modified at most `max_age_days` before the reference date.
    pub up_to_date: bool,
    /// Every answer of `open_requires` is Yes.
    pub open: bool,
    /// The dataset's share of tg.da: 1 or 0 (open or not) under `open_share`, the share of
    /// the points under `points`.
    pub score: f64,
    /// `license_id` as given.
    pub license_id: Option<String>,
    /// Day of `metadata_modified`.
    pub metadata_modified: Option<Date>,
    /// Days from `metadata_modified` to the reference date (negative if later).
    pub age_days: Option<i32>,
    /// The distinct non-empty resource formats, in order.
    pub formats: Vec<String>,
    /// 1-based position of the package in the export.
    pub row: usize,
}

impl DatasetAnswers {
    /// One answer.
    pub fn get(&self, answer: Answer) -> bool {
        match answer {
            Answer::Online => self.online,
            Answer::Free => self.free,
            Answer::MachineReadable => self.machine_readable,
            Answer::Bulk => self.bulk,
            Answer::OpenLicence => self.open_licence,
            Answer::UpToDate => self.up_to_date,
        }
    }
}

/// One CKAN organization (institution): how many of its datasets answer Yes, and tg.da.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrganizationAnswers {
    /// Organization name (its CKAN slug): the institution id.
    pub id: String,
    /// Organization title.
    pub name: String,
    /// Number of its datasets (at least 1).
    pub datasets: usize,
    /// Datasets online.
    pub online: usize,
    /// Datasets free of charge.
    pub free: usize,
    /// Datasets machine-readable.
    pub machine_readable: usize,
    /// Datasets with an open licence.
    pub open_licence: usize,
    /// Datasets up to date.
    pub up_to_date: usize,
    /// Datasets available in bulk.
    pub bulk: usize,
    /// Open datasets.
    pub open: usize,
    /// The item value in [0, 1]: the mean of its datasets' scores (serialized as `tg.da`).
    #[serde(rename = "tg.da")]
    pub tg_da: f64,
}

/// The result of scoring one export.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CatalogueScores {
    /// The day ages were counted to (`None`: no package has a `metadata_modified` and no
    /// date was given, so none is up to date).
    pub reference_date: Option<Date>,
    /// One per package, in export order.
    pub datasets: Vec<DatasetAnswers>,
    /// One per organization, by id (byte order).
    pub organizations: Vec<OrganizationAnswers>,
}

/// The reference date a run uses: the rule's date, else the latest `metadata_modified`.
pub fn reference_date(catalogue: &Catalogue, rules: &CatalogueRules) -> Option<Date> {
    match rules.reference_date.value {
        ReferenceDate::On(d) => Some(d),
        ReferenceDate::Latest => catalogue.packages.iter().filter_map(|p| p.metadata_modified).max(),
    }
}

/// Answers the questions for one package, with ages counted to `reference`.
pub fn answer_package(p: &Package, rules: &CatalogueRules, reference: Option<Date>) -> DatasetAnswers {
    let with_url = || p.resources.iter().filter(|r| !r.url.is_empty());
    let online = with_url().next().is_some();
    let machine_readable = with_url().any(|r| rules.is_machine_readable(&r.format));
    let bulk = with_url().any(|r| rules.is_downloadable(&r.url) && rules.is_file_format(&r.format));
    let open_licence = p.license_id.as_deref().is_some_and(|l| rules.is_open_licence(l));
    let age_days = match (p.metadata_modified, reference) {
        (Some(m), Some(r)) => Some(m.days_until(r)),
        _ => None,
    };
    let up_to_date = age_days.is_some_and(|a| i64::from(a) <= i64::from(rules.max_age_days.value));
    let mut formats: Vec<String> = Vec::new();
    for r in &p.resources {
        if !r.format.is_empty() && !formats.contains(&r.format) {
            formats.push(r.format.clone());
        }
    }
    let mut d = DatasetAnswers {
        id: p.name.clone(),
        name: p.title.clone(),
        organization: p.organization.as_ref().map(|o| o.name.clone()),
        online,
        free: rules.free.value,
        machine_readable,
        bulk,
        open_licence,
        up_to_date,
        open: false,
        score: 0.0,
        license_id: p.license_id.clone(),
        metadata_modified: p.metadata_modified,
        age_days,
        formats,
        row: p.row,
    };
    d.open = rules.open_requires.value.iter().all(|&a| d.get(a));
    d.score = match rules.tg_da_rule.value {
        TgDaRule::OpenShare => f64::from(u8::from(d.open)),
        TgDaRule::Points => {
            let pts = &rules.points.value;
            // Summed in the order of `total`: adding non-negative numbers is monotone in
            // floating point, so the ratio never exceeds 1.
            let yes: f64 = Answer::ALL
                .iter()
                .map(|&a| if d.get(a) { pts.of(a) } else { 0.0 })
                .sum();
            yes / pts.total()
        }
    };
    d
}

/// Scores a catalogue: answers per package, counts and tg.da per organization.
///
/// Fails only if the rules are invalid ([`CatalogueRules::validate`]). A package without an
/// organization is answered but counts for no organization. An organization's tg.da is the
/// mean of its datasets' scores, summed in sorted order so the order of packages never
/// changes a bit.
pub fn score_catalogue(catalogue: &Catalogue, rules: &CatalogueRules) -> Result<CatalogueScores> {
    rules.validate()?;
    let reference = reference_date(catalogue, rules);
    let datasets: Vec<DatasetAnswers> = catalogue
        .packages
        .iter()
        .map(|p| answer_package(p, rules, reference))
        .collect();
    let mut by_org: BTreeMap<&str, (String, Vec<&DatasetAnswers>)> = BTreeMap::new();
    for (p, d) in catalogue.packages.iter().zip(&datasets) {
        if let Some(o) = &p.organization {
            by_org
                .entry(o.name.as_str())
                .or_insert_with(|| (o.title.clone(), Vec::new()))
                .1
                .push(d);
        }
    }
    let organizations = by_org
        .into_iter()
        .map(|(id, (title, ds))| {
            let count = |a: Answer| ds.iter().filter(|d| d.get(a)).count();
            let mut scores: Vec<f64> = ds.iter().map(|d| d.score).collect();
            scores.sort_by(f64::total_cmp);
            let tg_da = scores.iter().sum::<f64>() / ds.len() as f64;
            OrganizationAnswers {
                id: id.to_string(),
                name: title,
                datasets: ds.len(),
                online: count(Answer::Online),
                free: count(Answer::Free),
                machine_readable: count(Answer::MachineReadable),
                open_licence: count(Answer::OpenLicence),
                up_to_date: count(Answer::UpToDate),
                bulk: count(Answer::Bulk),
                open: ds.iter().filter(|d| d.open).count(),
                tg_da,
            }
        })
        .collect();
    Ok(CatalogueScores {
        reference_date: reference,
        datasets,
        organizations,
    })
}

/// Reads a CKAN export ([`read_package_search`]) and scores it ([`score_catalogue`]).
pub fn score_ckan(text: &str, source: &str, rules: &CatalogueRules) -> Result<CatalogueScores> {
    score_catalogue(&read_package_search(text, source)?, rules)
}

/// The organizations as a [`Dataset`]: one institution per organization (id and name), one
/// column `tg.da`. Fails with `unknown_node` if `edition` has no `tg.da` item.
pub fn organizations_to_dataset(organizations: &[OrganizationAnswers], edition: &Edition) -> Result<Dataset> {
    if edition.resolve_column(TG_DA).is_none() {
        return Err(Error::usage(
            "unknown_node",
            format!(
                "edition {} has no item {TG_DA} to put the catalogue's value in",
                edition.id()
            ),
        ));
    }
    let mut data = Dataset::new(
        organizations
            .iter()
            .map(|o| Institution {
                name: o.name.clone(),
                ..Institution::new(o.id.clone())
            })
            .collect(),
    );
    let values: Vec<f64> = organizations.iter().map(|o| o.tg_da).collect();
    data.push_values(TG_DA, &values)?;
    Ok(data)
}

fn yes(b: bool) -> String {
    if b { "Yes" } else { "No" }.to_string()
}

/// The organization table: `id, name, datasets, machine_readable, open_licence,
/// up_to_date, bulk, open, tg.da` (counts of datasets; tg.da at full precision).
pub fn organization_table(organizations: &[OrganizationAnswers]) -> (Vec<String>, Vec<Vec<String>>) {
    let header = [
        "id",
        "name",
        "datasets",
        "machine_readable",
        "open_licence",
        "up_to_date",
        "bulk",
        "open",
        TG_DA,
    ];
    let rows = organizations
        .iter()
        .map(|o| {
            vec![
                o.id.clone(),
                o.name.clone(),
                o.datasets.to_string(),
                o.machine_readable.to_string(),
                o.open_licence.to_string(),
                o.up_to_date.to_string(),
                o.bulk.to_string(),
                o.open.to_string(),
                format!("{}", o.tg_da),
            ]
        })
        .collect();
    (header.iter().map(|s| s.to_string()).collect(), rows)
}

/// The dataset table: `id, name, organization, online, free, machine_readable, bulk,
/// open_licence, up_to_date, open` (`Yes`/`No`), `score`, `license_id`, `metadata_modified`,
/// `age_days` and `formats` (`;`-separated).
pub fn dataset_table(datasets: &[DatasetAnswers]) -> (Vec<String>, Vec<Vec<String>>) {
    let mut header: Vec<String> = ["id", "name", "organization"].iter().map(|s| s.to_string()).collect();
    header.extend(Answer::ALL.iter().map(|a| a.name().to_string()));
    header.extend(
        [
            "open",
            "score",
            "license_id",
            "metadata_modified",
            "age_days",
            "formats",
        ]
        .iter()
        .map(|s| s.to_string()),
    );
    let rows = datasets
        .iter()
        .map(|d| {
            let mut r = vec![d.id.clone(), d.name.clone(), d.organization.clone().unwrap_or_default()];
            r.extend(Answer::ALL.iter().map(|&a| yes(d.get(a))));
            r.extend([
                yes(d.open),
                format!("{}", d.score),
                d.license_id.clone().unwrap_or_default(),
                d.metadata_modified.map(|m| m.to_string()).unwrap_or_default(),
                d.age_days.map(|a| a.to_string()).unwrap_or_default(),
                d.formats.join(";"),
            ]);
            r
        })
        .collect();
    (header, rows)
}

/// [`organization_table`] as CSV (feature `csv`).
#[cfg(feature = "csv")]
pub fn organizations_to_csv(organizations: &[OrganizationAnswers]) -> String {
    let (h, r) = organization_table(organizations);
    to_csv(&h, &r)
}

/// [`dataset_table`] as CSV (feature `csv`).
#[cfg(feature = "csv")]
pub fn datasets_to_csv(datasets: &[DatasetAnswers]) -> String {
    let (h, r) = dataset_table(datasets);
    to_csv(&h, &r)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pkg(name: &str, org: Option<&str>, licence: Option<&str>, modified: &str, res: &[(&str, &str)]) -> Package {
        Package {
            row: 1,
            name: name.into(),
            title: name.into(),
            organization: org.map(|o| Organization {
                name: o.into(),
                title: o.to_uppercase(),
            }),
            license_id: licence.map(str::to_string),
            metadata_modified: parse_ckan_date(modified),
            resources: res
                .iter()
                .map(|(f, u)| Resource {
                    format: f.to_string(),
                    url: u.to_string(),
                })
                .collect(),
        }
    }

    #[test]
    fn every_answer_branch() {
        let r = CatalogueRules::default();
        let day = Date::new(2016, 12, 31).ok();
        let csv = [("CSV", "https://x/a.csv")];
        let d = answer_package(&pkg("a", Some("o"), Some("cc-by"), "2016-01-01", &csv), &r, day);
        assert!(d.online && d.free && d.machine_readable && d.bulk && d.open_licence && d.up_to_date && d.open);
        assert_eq!((d.age_days, d.score), (Some(365), 1.0));
        // 366 days old: stale; a CSV without URL is neither online nor machine-readable.
        let d = answer_package(&pkg("b", None, None, "2015-12-31", &[("CSV", "")]), &r, day);
        assert!(!d.online && !d.machine_readable && !d.bulk && !d.up_to_date && !d.open_licence);
        // An API is machine-readable but not bulk; a PDF is bulk but not machine-readable.
        let d = answer_package(&pkg("c", None, Some("mx-lu"), "", &[("API", "https://x/api")]), &r, day);
        assert!(d.machine_readable && !d.bulk && d.open && !d.up_to_date);
        let d = answer_package(
            &pkg("d", None, Some("mx-lu"), "", &[("PDF", "https://x/a.pdf")]),
            &r,
            day,
        );
        assert!(!d.machine_readable && d.bulk && !d.open);
        let mut p = r.clone();
        p.tg_da_rule.value = TgDaRule::Points;
        // online 5 + free 15 + bulk 10 + open licence 30 = 60 of 85.
        assert_eq!(
            answer_package(
                &pkg("d", None, Some("mx-lu"), "", &[("PDF", "https://x/a.pdf")]),
                &p,
                day
            )
            .score,
            60.0 / 85.0
        );
    }

    #[test]
    fn organizations_sorted_and_to_dataset() {
        let c = Catalogue {
            source: "t".into(),
            packages: vec![
                pkg(
                    "a",
                    Some("z"),
                    Some("cc-by"),
                    "2016-01-01",
                    &[("CSV", "https://x/a.csv")],
                ),
                pkg("b", Some("y"), None, "2016-01-01", &[("CSV", "https://x/a.csv")]),
                pkg("c", Some("z"), None, "2016-06-01", &[]),
                pkg("d", None, Some("cc-by"), "2016-01-01", &[]),
            ],
        };
        let s = score_catalogue(&c, &CatalogueRules::default()).unwrap();
        assert_eq!(s.reference_date, Date::new(2016, 6, 1).ok());
        let ids: Vec<&str> = s.organizations.iter().map(|o| o.id.as_str()).collect();
        assert_eq!(ids, ["y", "z"]);
        assert_eq!((s.organizations[1].datasets, s.organizations[1].tg_da), (2, 0.5));
        assert_eq!(s.datasets.len(), 4);
        let data = organizations_to_dataset(&s.organizations, &Edition::load("mga-2017").unwrap()).unwrap();
        assert_eq!(data.column(TG_DA).unwrap().cells, vec![0.0.into(), 0.5.into()]);
        assert_eq!(data.institutions[1].name, "Z");
        let e = organizations_to_dataset(&s.organizations, &Edition::load("godi-2015").unwrap()).unwrap_err();
        assert_eq!(e.code(), "unknown_node");
        #[cfg(feature = "csv")]
        {
            let csv = organizations_to_csv(&s.organizations);
            assert_eq!(
                csv.lines().next(),
                Some("id,name,datasets,machine_readable,open_licence,up_to_date,bulk,open,tg.da")
            );
            assert_eq!(csv.lines().nth(2), Some("z,Z,2,1,1,2,1,1,0.5"));
            assert!(datasets_to_csv(&s.datasets)
                .lines()
                .nth(4)
                .unwrap()
                .starts_with("d,d,,No,Yes,No,No,Yes,"));
        }
    }
}
