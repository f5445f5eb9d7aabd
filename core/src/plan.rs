//! Plans: an edition compiled with settings and (swappable) weights, ready to score.
//!
//! A [`Plan`] evaluates the tree with one forward pass over a flat node array (children
//! before parents). [`Plan::prepare`] maps a [`Dataset`] onto that array once and checks
//! every cell; [`Plan::evaluate_into`] then scores it into a reusable [`Scores`] buffer
//! without allocating, so weights can be swapped ([`Plan::set_weights`]) and the same
//! data re-scored many times, as robustness analysis needs.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::dataset::{Cell, Dataset};
use crate::edition::{Aggregation, Edition, GateOpensWhen, WEIGHT_SUM_TOLERANCE};
use crate::error::{Error, InputError, InputErrorKind, InputErrors, Result};
use crate::institution::Institution;
use crate::settings::{GateMode, MismatchPolicy, NotApplicablePolicy, Options, Settings};

const MISSING: u8 = 0;
const VALUE: u8 = 1;
const NA: u8 = 2;

/// A small multiplicative hasher (FxHash) for the duplicate-id check: ids are not
/// attacker-controlled keys of a long-lived map, and SipHash dominated `prepare`.
#[derive(Default)]
struct FxHasher(u64);

impl std::hash::Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut b = [0u8; 8];
            b[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(b)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// Position of an institution in the T x P plane (2017 typology), split at
/// [`Settings::quadrant_split`]; "high" means strictly above the split.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Quadrant {
    /// High transparency, low participation.
    I,
    /// High transparency, high participation.
    II,
    /// Low transparency, low participation.
    III,
    /// Low transparency, high participation.
    IV,
}

impl Quadrant {
    /// Roman numeral.
    pub fn as_str(self) -> &'static str {
        match self {
            Quadrant::I => "I",
            Quadrant::II => "II",
            Quadrant::III => "III",
            Quadrant::IV => "IV",
        }
    }
    /// The quadrant of a (T, P) pair.
    pub fn of(t: f64, p: f64, split: f64) -> Quadrant {
        match (t > split, p > split) {
            (true, false) => Quadrant::I,
            (true, true) => Quadrant::II,
            (false, false) => Quadrant::III,
            (false, true) => Quadrant::IV,
        }
    }
}

/// An edition compiled with settings and weights.
#[derive(Clone, Debug)]
pub struct Plan {
    edition: Edition,
    settings: Settings,
    weights: Vec<f64>,
    /// (transparency, participation) node indices for quadrants, if the root has exactly
    /// two children.
    axes: Option<(usize, usize)>,
    /// Aggregate nodes in evaluation order: (node, first child slot, end slot, aggregation).
    internal: Vec<(usize, usize, usize, Aggregation)>,
}

/// A dataset mapped onto a plan's node array and checked: finite values in [0, 1],
/// unique ids. Reusable across weight changes.
#[derive(Clone, Debug)]
pub struct Prepared {
    n_nodes: usize,
    values: Vec<f64>,
    state: Vec<u8>,
    institutions: Arc<[Institution]>,
    /// Source row of each institution (1-based; 0 when unknown), for error messages.
    inst_rows: Vec<u32>,
    /// Source row per (institution, node) when cells come from different rows (long
    /// format); `None` otherwise, to keep the common case small.
    cell_rows: Option<Vec<u32>>,
    /// Header per node as written by the caller.
    headers: Vec<Option<String>>,
    /// Every leaf has a value in every row, nothing is not-applicable and no aggregate node
    /// is given: the common item-level case, evaluated by a branch-light kernel.
    simple: bool,
    source: Option<String>,
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

/// Scores of a run: every node's value for every institution, with rank and quadrant.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scores {
    /// Edition id.
    pub edition: String,
    /// Node ids, in evaluation order (the column order of `values`).
    pub nodes: Vec<String>,
    /// Institutions, in input order (shared with the [`Prepared`] data they came from).
    pub institutions: Arc<[Institution]>,
    /// Row-major `institutions x nodes` values; meaningful only where `known` is true.
    values: Vec<f64>,
    /// Whether each value was given or computed.
    known: Vec<bool>,
    /// Rank by index value within the run (1 = best; ties share the smallest rank).
    pub rank: Vec<u32>,
    /// T x P quadrant, when the edition has two dimensions.
    pub quadrant: Vec<Option<Quadrant>>,
    #[serde(skip)]
    scratch: crate::columnar::RankScratch,
}

impl Scores {
    /// Number of institutions.
    pub fn len(&self) -> usize {
        self.institutions.len()
    }
    /// Whether empty.
    pub fn is_empty(&self) -> bool {
        self.institutions.is_empty()
    }
    /// Index of a node in [`Scores::nodes`].
    pub fn node_index(&self, node: &str) -> Option<usize> {
        self.nodes.iter().position(|n| n == node)
    }
    /// Value of node `node_index` for institution `i`, `None` if neither given nor computable.
    pub fn value(&self, i: usize, node_index: usize) -> Option<f64> {
        let k = i * self.nodes.len() + node_index;
        self.known[k].then(|| self.values[k])
    }
    /// Value by node id.
    pub fn get(&self, i: usize, node: &str) -> Option<f64> {
        self.value(i, self.node_index(node)?)
    }
    /// Whole column of a node (None where unknown).
    pub fn column(&self, node: &str) -> Option<Vec<Option<f64>>> {
        let j = self.node_index(node)?;
        Some((0..self.len()).map(|i| self.value(i, j)).collect())
    }
    /// Whether any institution has a value for this node.
    pub fn has_any(&self, node_index: usize) -> bool {
        (0..self.len()).any(|i| self.known[i * self.nodes.len() + node_index])
    }
    /// Index of the institution with this id.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.institutions.iter().position(|x| x.id == id)
    }
    /// The scorecard of institution `i`.
    pub fn scorecard(&self, i: usize) -> Scorecard {
        Scorecard {
            institution: self.institutions[i].clone(),
            values: self
                .nodes
                .iter()
                .enumerate()
                .filter_map(|(j, n)| self.value(i, j).map(|v| (n.clone(), v)))
                .collect(),
            rank: self.rank[i],
            quadrant: self.quadrant[i],
        }
    }
    /// Every scorecard.
    pub fn scorecards(&self) -> Vec<Scorecard> {
        (0..self.len()).map(|i| self.scorecard(i)).collect()
    }
}

/// One institution's scores.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scorecard {
    /// The institution.
    pub institution: Institution,
    /// Node id -> value, for every node given or computed (evaluation order).
    pub values: Vec<(String, f64)>,
    /// Rank within the run.
    pub rank: u32,
    /// T x P quadrant.
    pub quadrant: Option<Quadrant>,
}

impl Scorecard {
    /// Value of a node.
    pub fn get(&self, node: &str) -> Option<f64> {
        self.values.iter().find(|(n, _)| n == node).map(|(_, v)| *v)
    }
}

/// One weight slot: a child within its parent.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WeightSlot {
    /// Parent node id.
    pub parent: String,
    /// Child node id.
    pub child: String,
    /// Current weight.
    pub weight: f64,
    /// The edition's weight.
    pub default: f64,
}

impl Plan {
    /// Compiles an edition with its default settings, overridden by `options`.
    pub fn new(edition: &Edition, options: &Options) -> Result<Plan> {
        let settings = Settings::resolve(edition, options)?;
        Ok(Self::with_settings(edition, settings))
    }

    /// Compiles an edition with fully resolved settings.
    pub fn with_settings(edition: &Edition, settings: Settings) -> Plan {
        let t = &edition.tree;
        let r = t.root;
        let kids = &t.child[t.child_start[r]..t.child_start[r + 1]];
        let axes = (kids.len() == 2).then(|| (kids[0], kids[1]));
        let internal = (0..t.ids.len())
            .filter(|&j| !t.is_leaf[j])
            .map(|j| (j, t.child_start[j], t.child_start[j + 1], t.aggregation[j]))
            .collect();
        Plan {
            edition: edition.clone(),
            settings,
            weights: t.weight.clone(),
            axes,
            internal,
        }
    }

    /// The edition.
    pub fn edition(&self) -> &Edition {
        &self.edition
    }
    /// The (transparency, participation) node indices used for quadrants.
    pub(crate) fn axes(&self) -> Option<(usize, usize)> {
        self.axes
    }
    /// The settings in force.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }
    /// Current weights, one per child slot (see [`Plan::weight_slots`]).
    pub fn weights(&self) -> &[f64] {
        &self.weights
    }
    /// Describes every weight slot, in the order of [`Plan::weights`].
    pub fn weight_slots(&self) -> Vec<WeightSlot> {
        let t = &self.edition.tree;
        let mut out = Vec::with_capacity(self.weights.len());
        for p in 0..t.ids.len() {
            for s in t.child_start[p]..t.child_start[p + 1] {
                out.push(WeightSlot {
                    parent: t.ids[p].clone(),
                    child: t.ids[t.child[s]].clone(),
                    weight: self.weights[s],
                    default: t.weight[s],
                });
            }
        }
        out
    }

    /// Replaces every weight. Each node's child weights must be finite, >= 0 and sum to 1
    /// within 1e-9. Does not allocate.
    pub fn set_weights(&mut self, weights: &[f64]) -> Result<()> {
        let t = &self.edition.tree;
        if weights.len() != self.weights.len() {
            return Err(Error::usage(
                "invalid_weight",
                format!("expected {} weights, got {}", self.weights.len(), weights.len()),
            ));
        }
        for p in 0..t.ids.len() {
            let range = t.child_start[p]..t.child_start[p + 1];
            if range.is_empty() {
                continue;
            }
            let mut sum = 0.0;
            for s in range {
                let w = weights[s];
                if !w.is_finite() || w < 0.0 {
                    return Err(Error::usage(
                        "invalid_weight",
                        format!(
                            "weight of {:?} in {:?} is {w}; must be finite and >= 0",
                            t.ids[t.child[s]], t.ids[p]
                        ),
                    ));
                }
                sum += w;
            }
            if (sum - 1.0).abs() > WEIGHT_SUM_TOLERANCE {
                return Err(Error::usage(
                    "invalid_weight",
                    format!("weights of the children of {:?} sum to {sum}, not 1", t.ids[p]),
                ));
            }
        }
        self.weights.copy_from_slice(weights);
        Ok(())
    }

    /// Sets the weight of `node` within its parent to `weight` and rescales its siblings
    /// proportionally so the parent's weights still sum to 1 (siblings that are all 0 share
    /// the remainder equally). This is what a weight slider does.
    pub fn set_weight(&mut self, node: &str, weight: f64) -> Result<()> {
        let t = &self.edition.tree;
        let i = *t
            .index
            .get(node)
            .ok_or_else(|| Error::usage("unknown_node", format!("no node {node:?} in {}", self.edition.id())))?;
        let p = t.parent[i]
            .ok_or_else(|| Error::usage("invalid_weight", format!("{node:?} is the root and has no weight")))?;
        if !(weight.is_finite() && (0.0..=1.0).contains(&weight)) {
            return Err(Error::usage(
                "invalid_weight",
                format!("weight {weight} of {node:?} must be in [0, 1]"),
            ));
        }
        let range = t.child_start[p]..t.child_start[p + 1];
        let me = t.slot_of[i];
        let others: f64 = range.clone().filter(|&s| s != me).map(|s| self.weights[s]).sum();
        let n_others = range.len() - 1;
        let mut new = self.weights.clone();
        if n_others == 0 {
            return Err(Error::usage(
                "invalid_weight",
                format!("{node:?} is the only child of {:?}; its weight is 1", t.ids[p]),
            ));
        }
        for s in range {
            new[s] = if s == me {
                weight
            } else if others > 0.0 {
                self.weights[s] / others * (1.0 - weight)
            } else {
                (1.0 - weight) / n_others as f64
            };
        }
        self.set_weights(&new)
    }

    /// Restores the edition's weights.
    pub fn reset_weights(&mut self) {
        self.weights.copy_from_slice(&self.edition.tree.weight);
    }

    /// [`Plan::prepare`] taking the dataset by value: the institutions move into the
    /// result instead of being cloned.
    pub fn prepare_owned(&self, mut data: Dataset) -> Result<Prepared> {
        let institutions = std::mem::take(&mut data.institutions);
        let mut shell = data;
        shell.institutions = Vec::new();
        // Validation needs the ids: check them on a borrowed view, then move them in.
        let view = Dataset { institutions, ..shell };
        let mut prepared = self.prepare_inner(&view, false)?;
        prepared.institutions = view.institutions.into();
        Ok(prepared)
    }

    /// [`Plan::score`] taking the dataset by value (no copy of the institutions).
    pub fn score_owned(&self, data: Dataset) -> Result<Scores> {
        let prepared = self.prepare_owned(data)?;
        let mut out = self.buffer(&prepared);
        self.evaluate_into(&prepared, &mut out)?;
        Ok(out)
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
        // Ids.
        let mut seen: std::collections::HashMap<&str, usize, std::hash::BuildHasherDefault<FxHasher>> =
            std::collections::HashMap::with_capacity_and_hasher(m, Default::default());
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
            let mut all_values = true;
            for (i, cell) in col.cells.iter().enumerate() {
                let k = i * n + j;
                match *cell {
                    // NaN fails `contains`, so it takes the error branch below.
                    Cell::Value(v) if (0.0..=1.0).contains(&v) => {
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
                        } else {
                            (InputErrorKind::OutOfRange, "scores must lie in [0, 1]")
                        };
                        let row = match (&col.rows, &cell_rows) {
                            (Some(_), Some(cr)) => cr[k] as usize,
                            _ => inst_rows[i] as usize,
                        };
                        let mut e = mk(kind, msg.into())
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

    /// An empty score buffer for `prepared`, to pass to [`Plan::evaluate_into`].
    pub fn buffer(&self, prepared: &Prepared) -> Scores {
        let n = prepared.n_nodes;
        let m = prepared.len();
        Scores {
            edition: self.edition.id().to_string(),
            nodes: self.edition.tree.ids.clone(),
            institutions: Arc::clone(&prepared.institutions),
            values: vec![0.0; m * n],
            known: vec![false; m * n],
            rank: vec![0; m],
            quadrant: vec![None; m],
            scratch: Default::default(),
        }
    }

    /// Scores a dataset: [`prepare`](Plan::prepare), [`buffer`](Plan::buffer),
    /// [`evaluate_into`](Plan::evaluate_into).
    ///
    /// ```
    /// use apertura::{Dataset, Edition, Institution, Options, Plan};
    /// let plan = Plan::new(&Edition::load("mga-2017")?, &Options::default())?;
    /// let mut data = Dataset::new(vec![Institution::new("x")]);
    /// for (node, v) in [("tg", 0.4), ("tc", 0.6), ("pg", 0.2), ("pc", 0.2)] {
    ///     data.push_values(node, &[v])?;
    /// }
    /// let scores = plan.score(&data)?;
    /// assert!((scores.get(0, "iga").unwrap() - 0.35).abs() < 1e-12);
    /// # Ok::<(), apertura::Error>(())
    /// ```
    pub fn score(&self, data: &Dataset) -> Result<Scores> {
        let prepared = self.prepare(data)?;
        let mut out = self.buffer(&prepared);
        self.evaluate_into(&prepared, &mut out)?;
        Ok(out)
    }

    /// Evaluates every institution into `out` (from [`Plan::buffer`] for the same
    /// `prepared`), then ranks and classifies. Allocation-free. Collects every problem
    /// (missing values, gate violations, mismatches) and returns them together.
    pub fn evaluate_into(&self, prepared: &Prepared, out: &mut Scores) -> Result<()> {
        let n = prepared.n_nodes;
        let m = prepared.len();
        if out.values.len() != m * n || out.nodes.len() != n {
            return Err(Error::usage(
                "buffer_mismatch",
                "score buffer was made for other data; use Plan::buffer",
            ));
        }
        let mut errors: Vec<InputError> = Vec::new();
        if prepared.simple {
            for i in 0..m {
                let range = i * n..(i + 1) * n;
                self.evaluate_row_simple(prepared, i, &mut out.values[range.clone()], &mut errors);
                out.known[range].fill(true);
            }
        } else {
            for i in 0..m {
                let range = i * n..(i + 1) * n;
                self.evaluate_row(
                    prepared,
                    i,
                    &mut out.values[range.clone()],
                    &mut out.known[range],
                    &mut errors,
                );
            }
        }
        if let Some(e) = InputErrors::from_vec(errors) {
            return Err(Error::Input(e));
        }
        self.rank_and_classify(out);
        Ok(())
    }

    /// The kernel for [`Prepared::simple`] data: every leaf given, nothing excluded, no
    /// aggregate given. Performs exactly the arithmetic of [`Plan::evaluate_row`] (same
    /// operations in the same order), so both give identical bits.
    fn evaluate_row_simple(&self, p: &Prepared, i: usize, vals: &mut [f64], errors: &mut Vec<InputError>) {
        let t = &self.edition.tree;
        let n = p.n_nodes;
        let given = &p.values[i * n..(i + 1) * n];
        vals.copy_from_slice(given);
        if !t.gates.is_empty() {
            let mut violated = false;
            for (when, opens, gated, _) in &t.gates {
                let v = vals[*when];
                let open = match opens {
                    GateOpensWhen::Positive => v > 0.0,
                    GateOpensWhen::Full => v >= 1.0,
                };
                if !open {
                    for &g in gated {
                        if vals[g] > 0.0 {
                            match self.settings.gates {
                                GateMode::Apply => vals[g] = 0.0,
                                GateMode::Error => violated = true,
                            }
                        }
                    }
                }
            }
            if violated {
                // Rare: let the general path word the errors.
                let mut known = vec![false; n];
                self.evaluate_row(p, i, vals, &mut known, errors);
                return;
            }
        }
        for &(j, s0, s1, aggregation) in &self.internal {
            let kids = &t.child[s0..s1];
            let weights = &self.weights[s0..s1];
            let mut wsum = 0.0;
            let mut acc = aggregation.start();
            for (&c, &w) in kids.iter().zip(weights) {
                wsum += w;
                acc = aggregation.add(acc, w, vals[c]);
            }
            vals[j] = aggregation.finish(acc, wsum);
        }
    }

    fn evaluate_row(&self, p: &Prepared, i: usize, vals: &mut [f64], known: &mut [bool], errors: &mut Vec<InputError>) {
        let t = &self.edition.tree;
        let n = p.n_nodes;
        let base = i * n;
        let st = &p.state[base..base + n];
        let given = &p.values[base..base + n];
        let renorm = self.settings.not_applicable == NotApplicablePolicy::Renormalize;
        // `na[j]`: node j is excluded (renormalize policy); reuse `known` semantics:
        // known=false & na => excluded. We track NA in vals as NaN-free flag via a bit trick:
        // keep a small stack-free marker by storing excluded nodes as known=false and
        // vals = -1.0 (never a valid score).
        const EXCLUDED: f64 = -1.0;
        let err = |kind, msg: String, j: usize| {
            let mut e = InputError::new(kind, msg)
                .institution(&p.institutions[i].id)
                .item(&t.ids[j]);
            e.source = p.source.clone();
            if let Some(h) = &p.headers[j] {
                e.column = Some(h.clone());
            }
            let r = match &p.cell_rows {
                Some(cr) => cr[base + j],
                None => p.inst_rows[i],
            } as usize;
            if r > 0 {
                e.row = Some(r);
            }
            e
        };
        // 1. Leaves.
        for j in 0..n {
            if !t.is_leaf[j] {
                continue;
            }
            match st[j] {
                VALUE => {
                    vals[j] = given[j];
                    known[j] = true;
                }
                NA if renorm => {
                    vals[j] = EXCLUDED;
                    known[j] = false;
                }
                NA => {
                    vals[j] = 0.0;
                    known[j] = true;
                }
                _ => {
                    vals[j] = 0.0;
                    known[j] = false;
                }
            }
        }
        // 2. Gates, in order.
        for (when, opens, gated, gate_id) in &t.gates {
            if !known[*when] {
                continue;
            }
            let v = vals[*when];
            let open = match opens {
                GateOpensWhen::Positive => v > 0.0,
                GateOpensWhen::Full => v >= 1.0,
            };
            if open {
                continue;
            }
            for &g in gated {
                if known[g] && vals[g] > 0.0 {
                    match self.settings.gates {
                        GateMode::Apply => vals[g] = 0.0,
                        GateMode::Error => errors.push(
                            err(
                                InputErrorKind::GateViolation,
                                format!(
                                    "gate {gate_id:?}: {:?} is {v}, so {:?} must be 0 (set gates = \"apply\" to score it 0)",
                                    t.ids[*when], t.ids[g]
                                ),
                                g,
                            )
                            .value(format!("{}", vals[g])),
                        ),
                    }
                }
            }
        }
        // 3. Internal nodes, children first.
        for j in 0..n {
            if t.is_leaf[j] {
                continue;
            }
            let (s0, s1) = (t.child_start[j], t.child_start[j + 1]);
            let mut all_known = true;
            let mut any_included = false;
            let mut skipped = false; // some child excluded (not applicable, renormalised)
            let mut wsum = 0.0;
            let agg = t.aggregation[j];
            let mut acc = agg.start();
            for s in s0..s1 {
                let c = t.child[s];
                if !known[c] {
                    if vals[c] == EXCLUDED {
                        skipped = true;
                        continue;
                    }
                    all_known = false;
                    break;
                }
                let w = self.weights[s];
                any_included = true;
                wsum += w;
                acc = agg.add(acc, w, vals[c]);
            }
            // Dividing by the actual weight sum (1 within 1e-9, or less after excluded
            // children) makes the mean exact at the ends: all ones give exactly 1.
            let computed = (all_known && any_included).then(|| agg.finish(acc, wsum));
            let all_excluded = all_known && !any_included && skipped;
            match st[j] {
                VALUE if computed.is_some() && self.settings.on_mismatch == MismatchPolicy::Recompute => {
                    vals[j] = computed.unwrap_or_default();
                    known[j] = true;
                }
                VALUE => {
                    let g = given[j];
                    if let Some(c) = computed {
                        if (g - c).abs() > self.settings.consistency_tolerance
                            && self.settings.on_mismatch == MismatchPolicy::Error
                        {
                            errors.push(
                                err(
                                    InputErrorKind::Mismatch,
                                    format!(
                                        "given {g} but its children give {c} (difference {:.6} > tolerance {})",
                                        (g - c).abs(),
                                        self.settings.consistency_tolerance
                                    ),
                                    j,
                                )
                                .value(format!("{g}")),
                            );
                        }
                    }
                    vals[j] = g;
                    known[j] = true;
                }
                NA if renorm => {
                    vals[j] = EXCLUDED;
                    known[j] = false;
                }
                NA => {
                    vals[j] = 0.0;
                    known[j] = true;
                }
                _ => match computed {
                    Some(c) => {
                        vals[j] = c;
                        known[j] = true;
                    }
                    None if all_excluded => {
                        vals[j] = EXCLUDED;
                        known[j] = false;
                    }
                    None => {
                        vals[j] = 0.0;
                        known[j] = false;
                    }
                },
            }
        }
        let r = t.root;
        if !known[r] {
            // Name the first missing item under the root.
            let mut j = r;
            loop {
                let next = (t.child_start[j]..t.child_start[j + 1])
                    .map(|s| t.child[s])
                    .find(|&c| !known[c] && vals[c] != EXCLUDED);
                match next {
                    Some(c) => j = c,
                    None => break,
                }
            }
            let parent = t.parent[j].map(|p| t.ids[p].as_str()).unwrap_or("");
            let msg = if j == r {
                format!("cannot compute {:?}: every component is not applicable", t.ids[r])
            } else {
                format!(
                    "cannot compute {:?}: no value for {:?} (give it, or give {:?})",
                    t.ids[r], t.ids[j], parent
                )
            };
            errors.push(err(InputErrorKind::MissingValue, msg, j));
        }
        // Excluded markers must never leak out as values.
        for j in 0..n {
            if !known[j] {
                vals[j] = 0.0;
            }
        }
    }

    fn rank_and_classify(&self, out: &mut Scores) {
        let n = out.nodes.len();
        let m = out.len();
        let r = self.edition.tree.root;
        let split = self.settings.quadrant_split;
        for i in 0..m {
            out.quadrant[i] = self.axes.and_then(|(a, b)| {
                let (ka, kb) = (i * n + a, i * n + b);
                (out.known[ka] && out.known[kb]).then(|| Quadrant::of(out.values[ka], out.values[kb], split))
            });
        }
        let values = &out.values;
        crate::columnar::rank_desc(m, |i| values[i * n + r], &mut out.rank, &mut out.scratch);
    }
}
