//! Settings: every choice the sources leave open, named, documented and overridable.
//!
//! Each edition file states the default of every setting with a provenance [`Tag`] and a
//! source note (`[settings]` table, schema [`SettingsDef`]). [`Settings::from_edition`]
//! resolves those defaults; [`Options`] overrides any of them for one run (the CLI flags,
//! the Python keyword arguments and the JavaScript option object all map to [`Options`]).

use serde::{Deserialize, Serialize};

use crate::edition::calendar::{Calendar, Date};
use crate::edition::{Edition, Tag};
use crate::error::{EditionError, EditionProblem, Error};

/// What to do when an observation breaks a gating rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GateMode {
    /// Report the observation as an error (default: never change the caller's data silently).
    Error,
    /// Apply the gate: score the gated items 0.
    Apply,
}

/// How items marked not applicable (`NA`) count.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NotApplicablePolicy {
    /// Score them 0 (reproduces 2017, which has no blanks).
    Zero,
    /// Drop them and renormalise the weights of their siblings.
    Renormalize,
}

/// What to do when a node given together with its children disagrees with them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MismatchPolicy {
    /// Report it as an error.
    Error,
    /// Keep the given value silently (the computed one is discarded).
    KeepGiven,
    /// Use the value computed from the children wherever they suffice; the given value is
    /// ignored there (what-if analysis with changed weights on files that carry GA, T, P).
    Recompute,
}

/// How an unanswered information request counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnansweredRequest {
    /// Every item of the request scores 0.
    Zero,
    /// The request is left out of the institution's mean.
    Exclude,
}

/// What to do when the data do not suffice to compute the index for a unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Incomplete {
    /// Report the first missing value under the root (the default: never a silent gap).
    #[default]
    Error,
    /// Score what the data allow: nodes that cannot be computed are left empty, and so
    /// is the rank of a unit without an index value (ODB's datasets file alone gives
    /// Implementation, not the index, which needs Readiness and Impact).
    Partial,
}

/// The unit of national and group means.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NationalMean {
    /// Unweighted mean over institutions.
    Institutions,
    /// Unweighted mean of the jurisdiction means.
    JurisdictionMeans,
}

/// A default value with its provenance, as written in an edition file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Setting<T> {
    /// The default value.
    pub value: T,
    /// Provenance.
    pub tag: Tag,
    /// Source or rationale.
    pub source: String,
}

/// The `[settings]` table of an edition file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SettingsDef {
    /// See [`Settings::gates`].
    pub gates: Setting<GateMode>,
    /// See [`Settings::not_applicable`].
    pub not_applicable: Setting<NotApplicablePolicy>,
    /// See [`Settings::consistency_tolerance`].
    pub consistency_tolerance: Setting<f64>,
    /// See [`Settings::on_mismatch`].
    pub on_mismatch: Setting<MismatchPolicy>,
    /// See [`Settings::quadrant_split`].
    pub quadrant_split: Setting<f64>,
    /// See [`Settings::national_mean`].
    pub national_mean: Setting<NationalMean>,
    /// See [`Settings::display_decimals`].
    pub display_decimals: Setting<u8>,
    /// See [`Settings::tc_celeridad`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tc_celeridad: Option<Setting<String>>,
    /// See [`Settings::pc_celeridad`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pc_celeridad: Option<Setting<String>>,
    /// See [`Settings::unanswered_request`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unanswered_request: Option<Setting<UnansweredRequest>>,
    /// See [`Settings::participation_channels`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participation_channels: Option<Setting<u32>>,
    /// See [`Settings::incomplete`] (default `error`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incomplete: Option<Setting<Incomplete>>,
}

impl SettingsDef {
    /// Provenance tags of every setting present.
    pub fn tags(&self) -> Vec<Tag> {
        let mut t = vec![
            self.gates.tag,
            self.not_applicable.tag,
            self.consistency_tolerance.tag,
            self.on_mismatch.tag,
            self.quadrant_split.tag,
            self.national_mean.tag,
            self.display_decimals.tag,
        ];
        t.extend(self.tc_celeridad.as_ref().map(|s| s.tag));
        t.extend(self.pc_celeridad.as_ref().map(|s| s.tag));
        t.extend(self.unanswered_request.as_ref().map(|s| s.tag));
        t.extend(self.participation_channels.as_ref().map(|s| s.tag));
        t.extend(self.incomplete.as_ref().map(|s| s.tag));
        t
    }
}

/// The resolved settings of one run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// Gating rules: report violations (`error`) or apply them (`apply`).
    pub gates: GateMode,
    /// Not-applicable items: score 0 or renormalise their siblings.
    pub not_applicable: NotApplicablePolicy,
    /// Largest accepted difference between a given node value and the value computed from
    /// its children (the 2017 file rounds to 4 decimals: 0.0011).
    pub consistency_tolerance: f64,
    /// What to do with a difference above the tolerance.
    pub on_mismatch: MismatchPolicy,
    /// T x P quadrants split at this value ("above" means strictly greater).
    pub quadrant_split: f64,
    /// Unit of national and group means.
    pub national_mean: NationalMean,
    /// Decimals shown when rounding for display (round half up).
    pub display_decimals: u8,
    /// Variant name of the information-request speed scorer (a key of `scorers.tc_celeridad`).
    pub tc_celeridad: Option<String>,
    /// Variant name of the participation-proposal speed scorer (`scorers.pc_celeridad`).
    pub pc_celeridad: Option<String>,
    /// How an unanswered information request counts.
    pub unanswered_request: UnansweredRequest,
    /// Number of contact channels a simulated citizen looks for (método = found / this).
    pub participation_channels: u32,
    /// Working-day calendar for celeridad (federal holidays plus user additions).
    pub calendar: Calendar,
    /// Units whose index cannot be computed: an error, or left empty.
    #[serde(default)]
    pub incomplete: Incomplete,
}

/// Overrides of an edition's default settings for one run; `None` keeps the default.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Options {
    /// Overrides [`Settings::gates`].
    pub gates: Option<GateMode>,
    /// Overrides [`Settings::not_applicable`].
    pub not_applicable: Option<NotApplicablePolicy>,
    /// Overrides [`Settings::consistency_tolerance`].
    pub consistency_tolerance: Option<f64>,
    /// Overrides [`Settings::on_mismatch`].
    pub on_mismatch: Option<MismatchPolicy>,
    /// Overrides [`Settings::quadrant_split`].
    pub quadrant_split: Option<f64>,
    /// Overrides [`Settings::national_mean`].
    pub national_mean: Option<NationalMean>,
    /// Overrides [`Settings::display_decimals`].
    pub display_decimals: Option<u8>,
    /// Overrides [`Settings::tc_celeridad`].
    pub tc_celeridad: Option<String>,
    /// Overrides [`Settings::pc_celeridad`].
    pub pc_celeridad: Option<String>,
    /// Overrides [`Settings::unanswered_request`].
    pub unanswered_request: Option<UnansweredRequest>,
    /// Overrides [`Settings::participation_channels`].
    pub participation_channels: Option<u32>,
    /// Non-working days added to the federal calendar.
    pub extra_holidays: Vec<Date>,
    /// Overrides [`Settings::incomplete`].
    pub incomplete: Option<Incomplete>,
}

fn bad(edition: &str, setting: &str, message: String) -> EditionError {
    EditionError {
        edition: edition.to_string(),
        problem: EditionProblem::BadSetting {
            setting: setting.to_string(),
            message,
        },
    }
}

impl Settings {
    /// The edition's defaults.
    pub fn from_edition(edition: &Edition) -> Result<Settings, EditionError> {
        let d = &edition.def().settings;
        let s = Settings {
            gates: d.gates.value,
            not_applicable: d.not_applicable.value,
            consistency_tolerance: d.consistency_tolerance.value,
            on_mismatch: d.on_mismatch.value,
            quadrant_split: d.quadrant_split.value,
            national_mean: d.national_mean.value,
            display_decimals: d.display_decimals.value,
            tc_celeridad: d.tc_celeridad.as_ref().map(|s| s.value.clone()),
            pc_celeridad: d.pc_celeridad.as_ref().map(|s| s.value.clone()),
            unanswered_request: d
                .unanswered_request
                .as_ref()
                .map(|s| s.value)
                .unwrap_or(UnansweredRequest::Zero),
            participation_channels: d.participation_channels.as_ref().map(|s| s.value).unwrap_or(3),
            calendar: Calendar::mexico_federal(),
            incomplete: d.incomplete.as_ref().map(|s| s.value).unwrap_or_default(),
        };
        s.check(edition)?;
        Ok(s)
    }

    /// The edition's defaults with `options` applied.
    pub fn resolve(edition: &Edition, options: &Options) -> Result<Settings, Error> {
        let mut s = Self::from_edition(edition)?;
        let o = options;
        if let Some(v) = o.gates {
            s.gates = v;
        }
        if let Some(v) = o.not_applicable {
            s.not_applicable = v;
        }
        if let Some(v) = o.consistency_tolerance {
            s.consistency_tolerance = v;
        }
        if let Some(v) = o.on_mismatch {
            s.on_mismatch = v;
        }
        if let Some(v) = o.quadrant_split {
            s.quadrant_split = v;
        }
        if let Some(v) = o.national_mean {
            s.national_mean = v;
        }
        if let Some(v) = o.display_decimals {
            s.display_decimals = v;
        }
        if let Some(v) = &o.tc_celeridad {
            s.tc_celeridad = Some(v.clone());
        }
        if let Some(v) = &o.pc_celeridad {
            s.pc_celeridad = Some(v.clone());
        }
        if let Some(v) = o.unanswered_request {
            s.unanswered_request = v;
        }
        if let Some(v) = o.participation_channels {
            s.participation_channels = v;
        }
        if let Some(v) = o.incomplete {
            s.incomplete = v;
        }
        if !o.extra_holidays.is_empty() {
            s.calendar = s.calendar.with_holidays(o.extra_holidays.iter().copied());
        }
        s.check(edition).map_err(|e| match e.problem {
            EditionProblem::BadSetting { setting, message } => {
                Error::usage("invalid_option", format!("option {setting:?}: {message}"))
            }
            _ => Error::Edition(e),
        })?;
        Ok(s)
    }

    fn check(&self, edition: &Edition) -> Result<(), EditionError> {
        let id = edition.id();
        if !(self.consistency_tolerance.is_finite() && self.consistency_tolerance >= 0.0) {
            return Err(bad(
                id,
                "consistency_tolerance",
                format!("{} must be a finite number >= 0", self.consistency_tolerance),
            ));
        }
        if !(self.quadrant_split.is_finite() && self.quadrant_split > 0.0 && self.quadrant_split < 1.0) {
            return Err(bad(
                id,
                "quadrant_split",
                format!("{} must lie strictly between 0 and 1", self.quadrant_split),
            ));
        }
        if self.display_decimals > 12 {
            return Err(bad(
                id,
                "display_decimals",
                format!("{} must be at most 12", self.display_decimals),
            ));
        }
        if self.participation_channels == 0 {
            return Err(bad(id, "participation_channels", "must be at least 1".into()));
        }
        for (name, choice) in [
            ("tc_celeridad", &self.tc_celeridad),
            ("pc_celeridad", &self.pc_celeridad),
        ] {
            if let Some(variant) = choice {
                let scorer = edition
                    .def()
                    .scorers
                    .get(name)
                    .and_then(|v| v.get(variant))
                    .ok_or_else(|| {
                        let known: Vec<String> = edition
                            .def()
                            .scorers
                            .get(name)
                            .map(|v| v.keys().cloned().collect())
                            .unwrap_or_default();
                        bad(
                            id,
                            name,
                            format!("no scorer variant {variant:?} (known: {})", known.join(", ")),
                        )
                    })?;
                let problems = scorer.scorer.problems();
                if !problems.is_empty() {
                    return Err(bad(id, &format!("scorers.{name}.{variant}"), problems.join("; ")));
                }
            }
        }
        // Every scorer variant must be valid, chosen or not.
        for (name, variants) in &edition.def().scorers {
            for (variant, def) in variants {
                let problems = def.scorer.problems();
                if !problems.is_empty() {
                    return Err(bad(id, &format!("scorers.{name}.{variant}"), problems.join("; ")));
                }
            }
        }
        Ok(())
    }
}
