//! The rules of the catalogue scorer ([`CatalogueRules`]): format, licence and date rules
//! and the tg.da rule, each a [`Setting`] with its provenance, loaded from the shipped
//! `core/catalogue/ckan.toml` or from the caller's TOML.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::edition::date::Date;
use crate::edition::settings::Setting;
use crate::error::{EditionError, EditionProblem, Error, Result};

/// The shipped rules as written, `core/catalogue/ckan.toml` (a starting point for a rules file
/// of one's own; only embedded where used).
pub const CKAN_RULES_TOML: &str = include_str!("../../../catalogue/ckan.toml");

/// The shipped rules compiled by build.rs into minified JSON: what
/// [`CatalogueRules::default`] reads, with no TOML parser.
const CKAN_RULES_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/ckan.json"));

/// Name under which rule errors are reported (the `edition` field of an [`EditionError`]).
const RULES_NAME: &str = "catalogue rules";

/// One GODI/ODB-style question a catalogue answers for a dataset.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    /// At least one resource has a non-empty URL.
    Online,
    /// The data are free of charge (assumed for a public CKAN).
    Free,
    /// At least one resource with a URL has a machine-readable format.
    MachineReadable,
    /// At least one resource is a file (not a service or a page) at a downloadable URL.
    Bulk,
    /// The `license_id` is an open licence.
    OpenLicence,
    /// `metadata_modified` is at most `max_age_days` before the reference date.
    UpToDate,
}

impl Answer {
    /// Every answer, in the order of the output columns.
    pub const ALL: [Answer; 6] = [
        Answer::Online,
        Answer::Free,
        Answer::MachineReadable,
        Answer::Bulk,
        Answer::OpenLicence,
        Answer::UpToDate,
    ];

    /// The snake-case name used in files (`machine_readable`...).
    pub fn name(self) -> &'static str {
        match self {
            Answer::Online => "online",
            Answer::Free => "free",
            Answer::MachineReadable => "machine_readable",
            Answer::Bulk => "bulk",
            Answer::OpenLicence => "open_licence",
            Answer::UpToDate => "up_to_date",
        }
    }
}

/// Points of each Yes answer (the `points` rule of tg.da).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Points {
    /// Points of `online`.
    pub online: f64,
    /// Points of `free`.
    pub free: f64,
    /// Points of `machine_readable`.
    pub machine_readable: f64,
    /// Points of `bulk`.
    pub bulk: f64,
    /// Points of `open_licence`.
    pub open_licence: f64,
    /// Points of `up_to_date`.
    pub up_to_date: f64,
}

impl Points {
    /// The points of one answer.
    pub fn of(&self, answer: Answer) -> f64 {
        match answer {
            Answer::Online => self.online,
            Answer::Free => self.free,
            Answer::MachineReadable => self.machine_readable,
            Answer::Bulk => self.bulk,
            Answer::OpenLicence => self.open_licence,
            Answer::UpToDate => self.up_to_date,
        }
    }

    /// The points available (all answers Yes).
    pub fn total(&self) -> f64 {
        Answer::ALL.iter().map(|&a| self.of(a)).sum()
    }
}

/// How an organization's datasets make its tg.da value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TgDaRule {
    /// The share of its datasets that are open (every answer of `open_requires` Yes).
    OpenShare,
    /// The mean over its datasets of (points of the Yes answers) / (points available).
    Points,
}

/// The day dataset ages are counted to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReferenceDate {
    /// The latest `metadata_modified` in the export (written `"latest"`).
    Latest,
    /// A given day (written `YYYY-MM-DD`).
    On(Date),
}

impl fmt::Display for ReferenceDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReferenceDate::Latest => f.write_str("latest"),
            ReferenceDate::On(d) => write!(f, "{d}"),
        }
    }
}

impl Serialize for ReferenceDate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ReferenceDate {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        if text.trim() == "latest" {
            return Ok(ReferenceDate::Latest);
        }
        Date::parse(&text)
            .map(ReferenceDate::On)
            .map_err(|e| serde::de::Error::custom(format!("{e} (or \"latest\")")))
    }
}

/// Every rule of the catalogue scorer, each with its provenance.
///
/// `Default` is the shipped `core/catalogue/ckan.toml`; change any field (`rules.max_age_days.value
/// = 180`) or load a whole file with [`CatalogueRules::from_toml_str`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogueRules {
    /// Format tokens that are machine-readable.
    pub machine_readable_formats: Setting<Vec<String>>,
    /// Format tokens of services and web pages (never bulk).
    pub non_file_formats: Setting<Vec<String>>,
    /// URL schemes of a downloadable resource.
    pub download_schemes: Setting<Vec<String>>,
    /// Open licence ids of CKAN's default licence list.
    pub open_licences_ckan: Setting<Vec<String>>,
    /// Open licence ids of the Open Definition's conformant list.
    pub open_licences_od: Setting<Vec<String>>,
    /// Open licence ids of Mexico's Libre Uso MX.
    pub open_licences_mx: Setting<Vec<String>>,
    /// Largest age in days (reference date minus `metadata_modified`) of an up-to-date dataset.
    pub max_age_days: Setting<u32>,
    /// The day ages are counted to.
    pub reference_date: Setting<ReferenceDate>,
    /// Whether the data count as free of charge.
    pub free: Setting<bool>,
    /// How datasets make an organization's tg.da.
    pub tg_da_rule: Setting<TgDaRule>,
    /// The answers that make a dataset open (all must be Yes).
    pub open_requires: Setting<Vec<Answer>>,
    /// Points of each answer (rule `points`).
    pub points: Setting<Points>,
}

impl Default for CatalogueRules {
    fn default() -> Self {
        // The shipped file is parsed and validated by a unit test.
        CatalogueRules::from_json_str(CKAN_RULES_JSON).expect("core/catalogue/ckan.toml is valid")
    }
}

fn parse_error(message: String) -> Error {
    Error::Edition(EditionError {
        edition: RULES_NAME.to_string(),
        problem: EditionProblem::Parse(message),
    })
}

fn bad(setting: &str, message: impl Into<String>) -> Error {
    Error::Edition(EditionError {
        edition: RULES_NAME.to_string(),
        problem: EditionProblem::BadSetting {
            setting: setting.to_string(),
            message: message.into(),
        },
    })
}

/// The lower-cased tokens of a format string: split at every character other than a letter,
/// a digit or `-`; empty tokens dropped.
pub fn format_tokens(format: &str) -> Vec<String> {
    format
        .to_lowercase()
        .split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .map(|t| t.trim_matches('-'))
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

/// Whether `token` (or one of its `-`-separated parts) is in `list` (compared lower-cased).
fn listed(token: &str, list: &[String]) -> bool {
    let hit = |t: &str| list.iter().any(|x| x.trim().to_lowercase() == t);
    hit(token) || (token.contains('-') && token.split('-').any(|p| !p.is_empty() && hit(p)))
}

/// A licence id as compared: trimmed, lower-cased, spaces and `_` read as `-`.
pub fn normalize_licence(id: &str) -> String {
    id.trim()
        .to_lowercase()
        .split(|c: char| c.is_whitespace() || c == '_')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

impl CatalogueRules {
    /// Rules from a TOML file with every table of `core/catalogue/ckan.toml` (`value`, `tag`,
    /// `source` each), validated.
    ///
    /// Fails with an [`EditionError`] (`edition_parse` for syntax, a missing or unknown key;
    /// `bad_setting` for a value [`validate`](Self::validate) rejects). Feature `toml`.
    #[cfg(feature = "toml")]
    pub fn from_toml_str(text: &str) -> Result<CatalogueRules> {
        let rules: CatalogueRules = toml::from_str(text).map_err(|e| parse_error(e.to_string()))?;
        rules.validate()?;
        Ok(rules)
    }

    /// Rules from the same tables written in JSON (`{"max_age_days": {"value": 365, "tag":
    /// ..., "source": ...}, ...}`), validated; errors as [`from_toml_str`](Self::from_toml_str).
    pub fn from_json_str(text: &str) -> Result<CatalogueRules> {
        let rules: CatalogueRules = serde_json::from_str(text).map_err(|e| parse_error(e.to_string()))?;
        rules.validate()?;
        Ok(rules)
    }

    /// Checks what the types cannot: no empty list entry, a non-empty `open_requires` and
    /// `download_schemes`, points finite and non-negative with a positive sum.
    pub fn validate(&self) -> Result<()> {
        let lists = [
            ("machine_readable_formats", &self.machine_readable_formats.value),
            ("non_file_formats", &self.non_file_formats.value),
            ("download_schemes", &self.download_schemes.value),
            ("open_licences_ckan", &self.open_licences_ckan.value),
            ("open_licences_od", &self.open_licences_od.value),
            ("open_licences_mx", &self.open_licences_mx.value),
        ];
        for (name, list) in lists {
            if list.iter().any(|x| x.trim().is_empty()) {
                return Err(bad(name, "an empty entry"));
            }
        }
        if self.download_schemes.value.is_empty() {
            return Err(bad("download_schemes", "no scheme: no resource could be downloaded"));
        }
        if self.open_requires.value.is_empty() {
            return Err(bad("open_requires", "no answer: every dataset would be open"));
        }
        let p = &self.points.value;
        for a in Answer::ALL {
            let v = p.of(a);
            if !v.is_finite() || v < 0.0 {
                return Err(bad("points", format!("{} is {v}, must be finite and >= 0", a.name())));
            }
        }
        if !(p.total() > 0.0 && p.total().is_finite()) {
            return Err(bad("points", "the points sum to 0"));
        }
        Ok(())
    }

    /// Whether a format string names a machine-readable format (any of its tokens listed in
    /// `machine_readable_formats`). `"XML, JSON"`, `"text/csv"` and `" csv "` are; `"PDF"`,
    /// `"HTML"` and `""` are not.
    pub fn is_machine_readable(&self, format: &str) -> bool {
        format_tokens(format)
            .iter()
            .any(|t| listed(t, &self.machine_readable_formats.value))
    }

    /// Whether a format string names a file: at least one token, none of them in
    /// `non_file_formats` (so `"PDF"` is a file, `"API"`, `"HTML"` and `""` are not).
    pub fn is_file_format(&self, format: &str) -> bool {
        let tokens = format_tokens(format);
        !tokens.is_empty() && !tokens.iter().any(|t| listed(t, &self.non_file_formats.value))
    }

    /// Whether a URL can be downloaded: its scheme (before `://`) is in `download_schemes`.
    pub fn is_downloadable(&self, url: &str) -> bool {
        let url = url.trim();
        match url.split_once("://") {
            Some((scheme, rest)) => {
                !rest.is_empty()
                    && self
                        .download_schemes
                        .value
                        .iter()
                        .any(|s| s.trim().eq_ignore_ascii_case(scheme))
            }
            None => false,
        }
    }

    /// Whether a licence id is open: in any of the three licence lists, compared after
    /// [`normalize_licence`].
    pub fn is_open_licence(&self, license_id: &str) -> bool {
        let id = normalize_licence(license_id);
        !id.is_empty()
            && [
                &self.open_licences_ckan.value,
                &self.open_licences_od.value,
                &self.open_licences_mx.value,
            ]
            .iter()
            .any(|list| list.iter().any(|x| normalize_licence(x) == id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edition::schema::Tag;

    #[test]
    fn shipped_rules_parse_and_carry_provenance() {
        let r = CatalogueRules::default();
        assert_eq!(r.max_age_days.value, 365);
        assert_eq!(r.reference_date.value, ReferenceDate::Latest);
        assert_eq!(r.tg_da_rule.value, TgDaRule::OpenShare);
        assert_eq!(r.open_licences_ckan.tag, Tag::Verbatim);
        assert_eq!(r.points.value.total(), 85.0);
        assert!(!r.machine_readable_formats.source.is_empty());
    }

    #[test]
    fn formats() {
        let r = CatalogueRules::default();
        for f in [
            "CSV",
            " csv ",
            "XML, JSON",
            "text/csv",
            "Excel (.xlsx)",
            "application/vnd.ms-excel",
            "API",
        ] {
            assert!(r.is_machine_readable(f), "{f}");
        }
        for f in ["PDF", "HTML", "", "  ", "DOC", "JPG", "zip"] {
            assert!(!r.is_machine_readable(f), "{f}");
        }
        assert!(r.is_file_format("PDF") && r.is_file_format("csv"));
        assert!(!r.is_file_format("API") && !r.is_file_format("html") && !r.is_file_format(""));
    }

    #[test]
    fn licences_and_urls() {
        let r = CatalogueRules::default();
        for l in [
            "cc-by",
            "CC-BY-4.0",
            " odc-odbl ",
            "mx-lu",
            "Libre Uso MX",
            "libre_uso_mx",
        ] {
            assert!(r.is_open_licence(l), "{l}");
        }
        for l in ["", "cc-nc", "other-closed", "notspecified", "CC-BY-NC-4.0"] {
            assert!(!r.is_open_licence(l), "{l}");
        }
        assert!(r.is_downloadable("https://x.mx/a.csv") && r.is_downloadable("FTP://x/a"));
        assert!(!r.is_downloadable("mailto:a@b") && !r.is_downloadable("a.csv") && !r.is_downloadable("http://"));
    }

    #[test]
    #[cfg(feature = "toml")]
    fn embedded_rules_equal_their_toml() {
        let from_toml: CatalogueRules = toml::from_str(CKAN_RULES_TOML).unwrap();
        let embedded: CatalogueRules = serde_json::from_str(CKAN_RULES_JSON).unwrap();
        assert_eq!(embedded, from_toml);
        assert_eq!(CatalogueRules::default(), from_toml);
    }

    #[test]
    fn bad_json_rules_are_errors() {
        assert_eq!(
            CatalogueRules::from_json_str("{\"x\": 1}").unwrap_err().code(),
            "edition_parse"
        );
        let text = CKAN_RULES_JSON.replace("\"value\":365", "\"value\":-1");
        assert_ne!(text, CKAN_RULES_JSON);
        assert_eq!(
            CatalogueRules::from_json_str(&text).unwrap_err().code(),
            "edition_parse"
        );
        let text = CKAN_RULES_JSON.replace("\"online\":5", "\"online\":-5");
        assert_ne!(text, CKAN_RULES_JSON);
        assert_eq!(CatalogueRules::from_json_str(&text).unwrap_err().code(), "bad_setting");
    }

    #[test]
    #[cfg(feature = "toml")]
    fn bad_rules_are_located_errors() {
        let e = CatalogueRules::from_toml_str("x = 1").unwrap_err();
        assert_eq!(e.code(), "edition_parse");
        let text = CKAN_RULES_TOML.replace("value = 365", "value = -1");
        assert_eq!(
            CatalogueRules::from_toml_str(&text).unwrap_err().code(),
            "edition_parse"
        );
        let text = CKAN_RULES_TOML.replace("value = \"latest\"", "value = \"2016-02-30\"");
        assert_eq!(
            CatalogueRules::from_toml_str(&text).unwrap_err().code(),
            "edition_parse"
        );
        let text = CKAN_RULES_TOML.replace("online = 5", "online = -5");
        let e = CatalogueRules::from_toml_str(&text).unwrap_err();
        assert_eq!(e.code(), "bad_setting");
        assert!(e.to_string().contains("points"), "{e}");
        let mut r = CatalogueRules::default();
        r.open_requires.value.clear();
        assert_eq!(r.validate().unwrap_err().code(), "bad_setting");
    }
}
