//! Request-level observations of the citizen perspective, scored into items.
//!
//! A simulated user files information requests ([`InformationRequest`]) and sends policy
//! proposals ([`ParticipationProposal`]). [`items_from_requests`] turns them into item
//! values with the edition's scorers and adds them to a [`Dataset`]: each item is the mean
//! over the institution's requests (TC) or proposals (PC), so TC is the mean over requests
//! of `(disponibilidad + claridad + completitud + celeridad) / 4`.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::edition::calendar::Date;
use crate::edition::celeridad::CeleridadScorer;
use crate::edition::UnansweredRequest;
use crate::error::{Error, InputError, InputErrorKind, InputErrors, Result};
use crate::input::{Cell, Column, Dataset};
use crate::scoring::Plan;

/// A simulated information request ("solicitud de información").
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InformationRequest {
    /// Institution id.
    pub institution: String,
    /// Whether an answer arrived.
    pub answered: bool,
    /// Availability grade of the answer in [0, 1] (the information was delivered).
    #[serde(default)]
    pub availability: Option<f64>,
    /// Clarity grade in [0, 1].
    #[serde(default)]
    pub clarity: Option<f64>,
    /// Completeness grade in [0, 1].
    #[serde(default)]
    pub completeness: Option<f64>,
    /// Filing date.
    pub filed: Date,
    /// Answer date (required when answered).
    #[serde(default)]
    pub answered_on: Option<Date>,
    /// Whether the institution notified an extension ("prórroga").
    #[serde(default)]
    pub extension: bool,
}

/// A simulated citizen policy proposal ("propuesta de política").
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParticipationProposal {
    /// Institution id.
    pub institution: String,
    /// Contact channels found (e-mail, phone, web form...), at most
    /// [`Settings::participation_channels`](crate::Settings::participation_channels).
    pub channels_found: u32,
    /// Whether receipt was acknowledged.
    pub acknowledged: bool,
    /// Whether a participation mechanism was activated.
    pub activated: bool,
    /// Date the proposal was sent.
    pub sent: Date,
    /// Date of the institution's substantive reply, if any.
    #[serde(default)]
    pub replied_on: Option<Date>,
}

fn scorer<'a>(plan: &'a Plan, setting: &str, choice: &Option<String>) -> Result<&'a CeleridadScorer> {
    let variant = choice.as_ref().ok_or_else(|| {
        Error::usage(
            "no_scorer",
            format!("edition {} has no {setting} scorer", plan.edition().id()),
        )
    })?;
    plan.edition()
        .def()
        .scorers
        .get(setting)
        .and_then(|v| v.get(variant))
        .map(|d| &d.scorer)
        .ok_or_else(|| Error::usage("no_scorer", format!("no {setting} variant {variant:?}")))
}

fn grade(v: Option<f64>, what: &str, inst: &str, row: usize, errors: &mut Vec<InputError>) -> f64 {
    match v {
        Some(g) if g.is_finite() && (0.0..=1.0).contains(&g) => g,
        Some(g) => {
            errors.push(
                InputError::new(InputErrorKind::OutOfRange, format!("{what} grade must lie in [0, 1]"))
                    .institution(inst)
                    .column(what)
                    .row(row)
                    .value(format!("{g}")),
            );
            0.0
        }
        None => {
            errors.push(
                InputError::new(
                    InputErrorKind::MissingValue,
                    format!("answered request without {what} grade"),
                )
                .institution(inst)
                .column(what)
                .row(row),
            );
            0.0
        }
    }
}

/// Scores requests and proposals into item columns and adds them to `data` (columns
/// named by item id). Request `k` (0-based) is reported as row `k + 1` in errors.
///
/// Fails if the edition has no request mapping, a request names an unknown institution,
/// a grade is out of range, a date is inconsistent, or an item is already given in `data`.
pub fn items_from_requests(
    plan: &Plan,
    data: &mut Dataset,
    requests: &[InformationRequest],
    proposals: &[ParticipationProposal],
) -> Result<()> {
    let e = plan.edition();
    let s = plan.settings();
    let mapping = e.def().requests.clone().ok_or_else(|| {
        Error::usage(
            "no_request_mapping",
            format!("edition {} does not score request-level observations", e.id()),
        )
    })?;
    let index: HashMap<&str, usize> = data
        .institutions
        .iter()
        .enumerate()
        .map(|(i, x)| (x.id.as_str(), i))
        .collect();
    let m = data.len();
    let mut errors = Vec::new();
    let mut new_columns: Vec<Column> = Vec::new();

    let mut add = |items: [&String; 4], sums: Vec<[f64; 4]>, counts: Vec<u32>, errors: &mut Vec<InputError>| {
        for (k, item) in items.iter().enumerate() {
            if data
                .columns
                .iter()
                .any(|c| e.resolve_column(&c.header) == e.node_index(item))
            {
                errors.push(
                    InputError::new(
                        InputErrorKind::Malformed,
                        "item given both as a value and through requests",
                    )
                    .item(item.as_str())
                    .column(item.as_str()),
                );
                continue;
            }
            let cells = (0..m)
                .map(|i| {
                    if counts[i] > 0 {
                        Cell::Value(sums[i][k] / counts[i] as f64)
                    } else {
                        Cell::Missing
                    }
                })
                .collect();
            new_columns.push(Column {
                header: item.to_string(),
                cells,
                rows: None,
                answers: None,
            });
        }
    };

    if !requests.is_empty() {
        let items = mapping.information.as_ref().ok_or_else(|| {
            Error::usage(
                "no_request_mapping",
                format!("edition {} does not score information requests", e.id()),
            )
        })?;
        let cel = scorer(plan, "tc_celeridad", &s.tc_celeridad)?;
        let mut sums = vec![[0.0f64; 4]; m];
        let mut counts = vec![0u32; m];
        for (k, r) in requests.iter().enumerate() {
            let row = k + 1;
            let Some(&i) = index.get(r.institution.as_str()) else {
                errors.push(
                    InputError::new(
                        InputErrorKind::UnknownInstitution,
                        "request for an institution not in the data",
                    )
                    .institution(&r.institution)
                    .column("institution")
                    .row(row)
                    .value(&r.institution),
                );
                continue;
            };
            if !r.answered {
                if s.unanswered_request == UnansweredRequest::Zero {
                    counts[i] += 1;
                }
                continue;
            }
            let Some(answered_on) = r.answered_on else {
                errors.push(
                    InputError::new(InputErrorKind::InvalidDate, "answered request without answer date")
                        .institution(&r.institution)
                        .column("answered_on")
                        .row(row),
                );
                continue;
            };
            if answered_on < r.filed {
                errors.push(
                    InputError::new(
                        InputErrorKind::InvalidDate,
                        format!("answered before it was filed ({})", r.filed),
                    )
                    .institution(&r.institution)
                    .column("answered_on")
                    .row(row)
                    .value(answered_on.to_string()),
                );
                continue;
            }
            let d = s.calendar.working_days_between(r.filed, answered_on);
            let v = [
                grade(r.availability, "availability", &r.institution, row, &mut errors),
                grade(r.clarity, "clarity", &r.institution, row, &mut errors),
                grade(r.completeness, "completeness", &r.institution, row, &mut errors),
                cel.score(d, r.extension),
            ];
            for k in 0..4 {
                sums[i][k] += v[k];
            }
            counts[i] += 1;
        }
        add(
            [
                &items.disponibilidad,
                &items.claridad,
                &items.completitud,
                &items.celeridad,
            ],
            sums,
            counts,
            &mut errors,
        );
    }

    if !proposals.is_empty() {
        let items = mapping.participation.as_ref().ok_or_else(|| {
            Error::usage(
                "no_request_mapping",
                format!("edition {} does not score participation proposals", e.id()),
            )
        })?;
        let cel = scorer(plan, "pc_celeridad", &s.pc_celeridad)?;
        let channels = s.participation_channels;
        let mut sums = vec![[0.0f64; 4]; m];
        let mut counts = vec![0u32; m];
        for (k, p) in proposals.iter().enumerate() {
            let row = k + 1;
            let Some(&i) = index.get(p.institution.as_str()) else {
                errors.push(
                    InputError::new(
                        InputErrorKind::UnknownInstitution,
                        "proposal for an institution not in the data",
                    )
                    .institution(&p.institution)
                    .column("institution")
                    .row(row)
                    .value(&p.institution),
                );
                continue;
            };
            if p.channels_found > channels {
                errors.push(
                    InputError::new(
                        InputErrorKind::OutOfRange,
                        format!("at most {channels} channels are looked for"),
                    )
                    .institution(&p.institution)
                    .column("channels_found")
                    .row(row)
                    .value(p.channels_found.to_string()),
                );
                continue;
            }
            let speed = match p.replied_on {
                Some(d) if d < p.sent => {
                    errors.push(
                        InputError::new(
                            InputErrorKind::InvalidDate,
                            format!("reply before the proposal was sent ({})", p.sent),
                        )
                        .institution(&p.institution)
                        .column("replied_on")
                        .row(row)
                        .value(d.to_string()),
                    );
                    continue;
                }
                // Speed counts only for an activated mechanism (gate in the edition).
                Some(d) if p.activated => cel.score(s.calendar.working_days_between(p.sent, d), false),
                _ => 0.0,
            };
            let v = [
                p.channels_found as f64 / channels as f64,
                if p.acknowledged { 1.0 } else { 0.0 },
                if p.activated { 1.0 } else { 0.0 },
                speed,
            ];
            for k in 0..4 {
                sums[i][k] += v[k];
            }
            counts[i] += 1;
        }
        add(
            [&items.metodo, &items.recepcion, &items.activacion, &items.celeridad],
            sums,
            counts,
            &mut errors,
        );
    }
    if let Some(e) = InputErrors::from_vec(errors) {
        return Err(Error::Input(e));
    }
    data.columns.extend(new_columns);
    Ok(())
}
