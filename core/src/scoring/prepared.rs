//! [`Prepared`]: a dataset mapped onto a plan's node array and checked once (finite values
//! in [0, 1], unique ids, headers that name a node), reusable across weight changes.

use std::sync::Arc;

use crate::edition::GateMode;
use crate::error::{Error, InputError, InputErrorKind, InputErrors, Result};
use crate::input::{Cell, Dataset, Institution};
use crate::scoring::Plan;

pub(super) const MISSING: u8 = 0;
pub(super) const VALUE: u8 = 1;
pub(super) const NA: u8 = 2;

/// A dataset mapped onto a plan's node array and checked: finite values in [0, 1],
/// unique ids. Reusable across weight changes.
#[derive(Clone, Debug)]
pub struct Prepared {
    pub(super) n_nodes: usize,
    pub(super) values: Vec<f64>,
    pub(super) state: Vec<u8>,
    pub(super) institutions: Arc<[Institution]>,
    /// Source row of each institution (1-based; 0 when unknown), for error messages.
    pub(super) inst_rows: Vec<u32>,
    /// Source row per (institution, node) when cells come from different rows (long
    /// format); `None` otherwise, to keep the common case small.
    pub(super) cell_rows: Option<Vec<u32>>,
    /// Header per node as written by the caller.
    pub(super) headers: Vec<Option<String>>,
    /// Every leaf has a value in every row, nothing is not-applicable and no aggregate node
    /// is given: the common item-level case, evaluated by a branch-light kernel.
    pub(super) simple: bool,
    pub(super) source: Option<String>,
}

impl Prepared {
    /// Number of institutions.
    pub fn len(&self) -> usize {
        self.institutions.len()
    }
    /// Whether empty.
    pub fn is_empty(&self) -> bool {
        self.institutions.is_empty()
    }
    /// The institutions.
    pub fn institutions(&self) -> &[Institution] {
        &self.institutions
    }
}

impl Plan {
    /// [`Plan::prepare`] taking the dataset by value: the institutions move into the
    /// result instead of being cloned.
    pub fn prepare_owned(&self, mut data: Dataset) -> Result<Prepared> {
        let institutions = std::mem::take(&mut data.institutions);
        let mut shell = data;
        shell.institutions = Vec::new();
        // Validation needs the ids: check them on a borrowed view, then move them in.
        let view = Dataset { institutions, ..shell };
        let mut prepared = self.prepare_inner(&view, false)?;
        // The observations are freed before the institutions move into an `Arc` (which
        // copies the vector): the peak of memory of a large file's scoring.
        let Dataset {
            institutions, columns, ..
        } = view;
        drop(columns);
        prepared.institutions = institutions.into();
        Ok(prepared)
    }

    /// Maps a dataset onto the node array and checks every cell (finite, in [0, 1], ids
    /// present and unique, headers that name a node). Collects every problem found.
    pub fn prepare(&self, data: &Dataset) -> Result<Prepared> {
        self.prepare_inner(data, true)
    }

    fn prepare_inner(&self, data: &Dataset, clone_institutions: bool) -> Result<Prepared> {
        let t = &self.edition.tree;
        let n = t.ids.len();
        let m = data.len();
        let mut errors = Vec::new();
        let src = data.source.clone();
        let mk = |kind, msg: String| {
            let mut e = InputError::new(kind, msg);
            e.source = src.clone();
            e
        };
        // Ids. FxHash (rustc-hash) for the duplicate-id check: ids are not attacker-controlled
        // keys of a long-lived map, and SipHash dominated `prepare`. The hasher decides only
        // where a key is stored, never which ids are duplicates, so scores do not depend on it.
        let mut seen: std::collections::HashMap<&str, usize, rustc_hash::FxBuildHasher> =
            std::collections::HashMap::with_capacity_and_hasher(m, rustc_hash::FxBuildHasher);
        for (i, inst) in data.institutions.iter().enumerate() {
            let row = data.row_of(i);
            if inst.id.trim().is_empty() {
                let mut e = mk(
                    InputErrorKind::MissingId,
                    "institution without id (and without a name to use as id)".into(),
                );
                e.row = row;
                errors.push(e);
            } else if let Some(first) = seen.insert(inst.id.as_str(), i) {
                let mut e = mk(
                    InputErrorKind::DuplicateId,
                    format!(
                        "id used twice (first at position {})",
                        data.row_of(first).unwrap_or(first + 1)
                    ),
                )
                .institution(&inst.id)
                .value(&inst.id);
                e.row = row;
                errors.push(e);
            }
        }
        // Freed before the node arrays are allocated (a few MB on a large file).
        drop(seen);
        let mut values = vec![0.0; m * n];
        let mut state = vec![MISSING; m * n];
        let inst_rows: Vec<u32> = (0..m).map(|i| data.row_of(i).unwrap_or(0) as u32).collect();
        let mut cell_rows: Option<Vec<u32>> = data.columns.iter().any(|c| c.rows.is_some()).then(|| {
            let mut r = vec![0u32; m * n];
            for i in 0..m {
                r[i * n..(i + 1) * n].fill(inst_rows[i]);
            }
            r
        });
        let mut headers: Vec<Option<String>> = vec![None; n];
        let mut answer_cols: Vec<Option<&[Option<u16>]>> = vec![None; n];
        let mut simple_columns = true;
        let mut leaf_columns = 0usize;
        for col in &data.columns {
            let Some(j) = self.edition.resolve_column(&col.header) else {
                errors.push(
                    mk(
                        InputErrorKind::UnknownNode,
                        format!("no node {:?} in edition {}", col.header, self.edition.id()),
                    )
                    .column(&col.header)
                    .item(&col.header),
                );
                continue;
            };
            if let Some(prev) = &headers[j] {
                errors.push(
                    mk(
                        InputErrorKind::Malformed,
                        format!(
                            "node {:?} given twice (columns {prev:?} and {:?})",
                            t.ids[j], col.header
                        ),
                    )
                    .column(&col.header)
                    .item(&t.ids[j]),
                );
                continue;
            }
            headers[j] = Some(col.header.clone());
            if let (Some(r), Some(cr)) = (&col.rows, &mut cell_rows) {
                for i in 0..m {
                    cr[i * n + j] = r.get(i).copied().unwrap_or(0) as u32;
                }
            }
            if let Some(a) = &col.answers {
                answer_cols[j] = Some(a.as_slice());
            }
            let mut all_values = true;
            let (lo, hi) = (t.post[j].lo, t.post[j].hi);
            for (i, cell) in col.cells.iter().enumerate() {
                let k = i * n + j;
                match *cell {
                    // NaN fails the comparisons, so it takes the error branch below.
                    Cell::Value(v) if v.is_finite() && lo <= v && v <= hi => {
                        values[k] = v;
                        state[k] = VALUE;
                    }
                    Cell::Missing => all_values = false,
                    Cell::NotApplicable => {
                        state[k] = NA;
                        all_values = false;
                    }
                    Cell::Value(v) => {
                        all_values = false;
                        let (kind, msg) = if !v.is_finite() {
                            (
                                InputErrorKind::NotFinite,
                                "not a finite number: leave the cell empty if unobserved, or write NA if not applicable",
                            )
                        } else if (lo, hi) == (0.0, 1.0) {
                            (InputErrorKind::OutOfRange, "scores must lie in [0, 1]")
                        } else {
                            (InputErrorKind::OutOfRange, "outside the node's range")
                        };
                        let msg = if kind == InputErrorKind::OutOfRange && (lo, hi) != (0.0, 1.0) {
                            format!("{msg} [{lo}, {hi}]")
                        } else {
                            msg.to_string()
                        };
                        let row = match (&col.rows, &cell_rows) {
                            (Some(_), Some(cr)) => cr[k] as usize,
                            _ => inst_rows[i] as usize,
                        };
                        let mut e = mk(kind, msg)
                            .institution(&data.institutions[i].id)
                            .item(&t.ids[j])
                            .column(&col.header)
                            .value(format!("{v}"));
                        if row > 0 {
                            e.row = Some(row);
                        }
                        errors.push(e);
                    }
                }
            }
            // A leaf column full of values keeps the data "simple"; any given aggregate
            // (or a gap in a leaf) sends it to the general path.
            if !t.is_leaf[j] || !all_values {
                simple_columns = false;
            } else {
                leaf_columns += 1;
            }
        }
        // The answer as the edition writes it, where a cell was answered in words.
        let answer_text = |x: usize, i: usize| -> Option<String> {
            let code = answer_cols[x]?.get(i).copied().flatten()?;
            t.answers[x].as_ref()?.get(code as usize).map(|(a, _)| a.clone())
        };
        // Gates on answers act on the input as given, before any other gate.
        for g in &t.answer_gates {
            let Some(codes) = answer_cols[g.when] else { continue };
            for (i, code) in codes.iter().enumerate() {
                if !code.is_some_and(|c| g.closes_on.contains(&c)) {
                    continue;
                }
                for &x in &g.gated {
                    let k = i * n + x;
                    if state[k] != VALUE || values[k] <= 0.0 {
                        continue;
                    }
                    match self.settings().gates {
                        GateMode::Apply => values[k] = 0.0,
                        GateMode::Error => {
                            let row = cell_rows.as_ref().map_or(inst_rows[i], |cr| cr[k]) as usize;
                            let mut e = mk(
                                InputErrorKind::GateViolation,
                                format!(
                                    "gate {:?}: the answer to {:?} closes it, so {:?} must score 0 (set gates = \"apply\" to score it 0)",
                                    g.id, t.ids[g.when], t.ids[x]
                                ),
                            )
                            .institution(&data.institutions[i].id)
                            .item(&t.ids[x])
                            .value(answer_text(x, i).unwrap_or_else(|| format!("{}", values[k])));
                            e.column = headers[x].clone();
                            if row > 0 {
                                e.row = Some(row);
                            }
                            errors.push(e);
                        }
                    }
                }
            }
        }
        if let Some(e) = InputErrors::from_vec(errors) {
            return Err(Error::Input(e));
        }
        let simple = simple_columns && leaf_columns == t.is_leaf.iter().filter(|l| **l).count();
        Ok(Prepared {
            simple,
            n_nodes: n,
            values,
            state,
            institutions: if clone_institutions {
                data.institutions.clone().into()
            } else {
                Arc::from(Vec::new())
            },
            inst_rows,
            cell_rows,
            headers,
            source: data.source.clone(),
        })
    }
}
