//! Column-major scoring for large, complete data: one contiguous array per node.
//!
//! [`Plan::score_columns`] takes institution ids and `f64` columns (numpy arrays,
//! `Float64Array`s, Arrow buffers) and evaluates the tree one node at a time over all
//! institutions, so each weighted mean is a tight loop over contiguous memory. It performs
//! exactly the floating-point operations of [`Plan::score`] in the same order, so both give
//! identical bits (a property test checks it); it accepts only complete columns (no empty
//! or not-applicable cells: use [`Plan::score`] for those).

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::edition::tree::Post;
use crate::edition::{Aggregation, GateMode, GateOpensWhen, MismatchPolicy};
use crate::error::{Error, InputError, InputErrorKind, InputErrors, Result};
use crate::input::{Cell, Dataset, Institution};
use crate::scoring::ranking::{rank_desc, rank_key, Quadrant, RankScratch};
use crate::scoring::{Plan, Scores};

/// Scores in columns: `values[k]` is the column of node `nodes[k]`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ColumnScores {
    /// Edition id.
    pub edition: String,
    /// Nodes with values, in display order (breadth-first from the root).
    pub nodes: Vec<String>,
    /// One column per node, one value per institution (input order).
    pub values: Vec<Vec<f64>>,
    /// Rank by index value (1 = best; ties share the smallest rank).
    pub rank: Vec<u32>,
    /// T x P quadrant.
    pub quadrant: Vec<Option<Quadrant>>,
}

impl ColumnScores {
    /// The column of a node.
    pub fn column(&self, node: &str) -> Option<&[f64]> {
        self.nodes
            .iter()
            .position(|n| n == node)
            .map(|k| self.values[k].as_slice())
    }
}

/// A node's column in [`SharedColumnScores`]: an input column the scores equal bit for
/// bit (a leaf no gate changed), or a column computed by the kernel.
#[derive(Clone, Debug, PartialEq)]
pub enum NodeValues {
    /// The `k`-th column given to [`Plan::score_columns_shared`], unchanged.
    Input(usize),
    /// Computed values (aggregates, leaves changed by gates).
    Computed(Vec<f64>),
}

/// [`ColumnScores`] that do not copy unchanged input columns: the result of
/// [`Plan::score_columns_shared`], for callers that can hand the caller's own columns back
/// (the Python binding reuses the frame's leaf columns in the score table).
#[derive(Clone, Debug, PartialEq)]
pub struct SharedColumnScores {
    /// Edition id.
    pub edition: String,
    /// Nodes with values, in display order (breadth-first from the root).
    pub nodes: Vec<String>,
    /// One column per node (`values[k]` is the column of `nodes[k]`).
    pub values: Vec<NodeValues>,
    /// Rank by index value (1 = best; ties share the smallest rank).
    pub rank: Vec<u32>,
    /// T x P quadrant.
    pub quadrant: Vec<Option<Quadrant>>,
}

/// A node's column as the column kernel leaves it.
pub(crate) enum NodeCol {
    /// Neither given nor computable.
    Absent,
    /// The `k`-th input column, unchanged.
    Input(usize),
    /// Owned values.
    Owned(Vec<f64>),
}

impl NodeCol {
    /// The values, with `columns` the kernel's input.
    pub(crate) fn get<'a>(&'a self, columns: &[(&str, &'a [f64])]) -> Option<&'a [f64]> {
        match self {
            NodeCol::Absent => None,
            NodeCol::Input(k) => Some(columns[*k].1),
            NodeCol::Owned(v) => Some(v),
        }
    }
}

/// The result of the column kernel: every node's column indexed like the tree, ranks and
/// quadrants.
pub(crate) type KernelOut = (Vec<NodeCol>, Vec<u32>, Vec<Option<Quadrant>>);

/// Rows per block of [`Plan::columns_fast`]: every column's block stays in the L2 cache
/// while the block is checked, gated and aggregated (17 leaves and 7 aggregates of 8 KB).
const BLOCK: usize = 1024;

/// Whether every id is non-blank and none repeats (one FxHash-set pass: the hasher decides
/// only where an id is stored, never which ids are duplicates).
fn ids_unique(ids: &[&str]) -> bool {
    let mut seen: std::collections::HashSet<&str, rustc_hash::FxBuildHasher> =
        std::collections::HashSet::with_capacity_and_hasher(ids.len(), rustc_hash::FxBuildHasher);
    ids.iter().all(|id| !blank(id) && seen.insert(id))
}

/// `s.trim().is_empty()`, deciding on the first byte where it can (an ASCII byte other
/// than white space: not blank).
#[inline]
fn blank(s: &str) -> bool {
    match s.as_bytes().first() {
        Some(&b) if b.is_ascii() && !b.is_ascii_whitespace() && b != 0x0b => false,
        _ => s.trim().is_empty(),
    }
}

/// `a` and `b` at once: on two threads with the `parallel` feature, else one after the other.
fn join<A: Send, B: Send>(a: impl FnOnce() -> A + Send, b: impl FnOnce() -> B + Send) -> (A, B) {
    #[cfg(feature = "parallel")]
    {
        rayon::join(a, b)
    }
    #[cfg(not(feature = "parallel"))]
    {
        (a(), b())
    }
}

/// One aggregate node over all institutions at once: `out[i]` is the aggregation of the
/// children's columns `child(0)[i], child(1)[i], ...` with `weights` (one per child). The
/// arithmetic of every kernel ([`Aggregation`]'s `start`, `add`, `finish`, in child order),
/// one node at a time over contiguous memory; the column kernel and robustness analysis
/// both go through it. Allocation-free. On x86-64 the loops run under `pulp`'s runtime
/// dispatch (AVX2 where the CPU has it): the same operations lane by lane (Rust never
/// contracts `a + w * x` into a fused multiply-add), so the same bits on every CPU.
pub(crate) fn aggregate_columns<'a>(
    aggregation: Aggregation,
    shift: f64,
    post: Post,
    weights: &[f64],
    child: impl Fn(usize) -> &'a [f64],
    out: &mut [f64],
) {
    macro_rules! body {
        ($agg:expr) => {{
            let agg = $agg;
            let mut wsum = 0.0;
            for (k, &w) in weights.iter().enumerate() {
                wsum += w;
                if k == 0 {
                    // `add(start, ...)` without first writing `start` everywhere: the
                    // same operations, one pass fewer.
                    for (a, &x) in out.iter_mut().zip(child(k)) {
                        *a = agg.add(agg.start(), w, x, shift);
                    }
                } else {
                    for (a, &x) in out.iter_mut().zip(child(k)) {
                        *a = agg.add(*a, w, x, shift);
                    }
                }
            }
            if weights.is_empty() {
                out.iter_mut().for_each(|a| *a = agg.start());
            }
            out.iter_mut()
                .for_each(|a| *a = post.apply(agg.finish(*a, wsum, shift)));
        }};
    }
    match aggregation {
        // The arithmetic mean vectorises; the geometric mean calls `pow` per value.
        #[cfg(all(feature = "simd", target_arch = "x86_64"))]
        Aggregation::WeightedMean => pulp::Arch::new().dispatch(
            #[inline(always)]
            || body!(Aggregation::WeightedMean),
        ),
        other => body!(other),
    }
}

/// Rescales a min-max node's column over the population (a no-op for other nodes):
/// `(x - min) / (max - min) * scale`, then the node's range. Every kernel goes through it.
pub(crate) fn min_max_column(post: Post, node: &str, col: &mut [f64]) -> Result<()> {
    min_max_known(post, node, col, |_| true)
}

/// [`min_max_column`] over the values `known(i)` says are scored (the others are untouched).
pub(crate) fn min_max_known(post: Post, node: &str, col: &mut [f64], known: impl Fn(usize) -> bool) -> Result<()> {
    let Some(scale) = post.min_max else { return Ok(()) };
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for (i, &x) in col.iter().enumerate() {
        if known(i) {
            lo = lo.min(x);
            hi = hi.max(x);
        }
    }
    if lo == f64::INFINITY {
        return Ok(());
    }
    if hi <= lo {
        return Err(Error::usage(
            "degenerate_normalization",
            format!(
                "min-max rescaling of {node:?} is undefined: every scored unit has the value {lo} (score more than one distinct unit)"
            ),
        ));
    }
    let range = hi - lo;
    for (i, x) in col.iter_mut().enumerate() {
        if known(i) {
            *x = ((*x - lo) / range * scale).clamp(post.lo, post.hi);
        }
    }
    Ok(())
}

impl Plan {
    /// Scores complete columns: `ids` (one per institution) and `(header, values)` columns
    /// naming nodes (ids or aliases, any case). Every value must be finite and in [0, 1];
    /// gates, consistency checks and errors behave as in [`Plan::score`]. Errors name the
    /// institution, the item, the column, the 1-based position as `row`, and the value.
    pub fn score_columns(&self, ids: &[&str], columns: &[(&str, &[f64])]) -> Result<ColumnScores> {
        let s = self.score_columns_shared(ids, columns)?;
        Ok(ColumnScores {
            edition: s.edition,
            nodes: s.nodes,
            values: s
                .values
                .into_iter()
                .map(|v| match v {
                    NodeValues::Input(k) => columns[k].1.to_vec(),
                    NodeValues::Computed(v) => v,
                })
                .collect(),
            rank: s.rank,
            quadrant: s.quadrant,
        })
    }

    /// [`Plan::score_columns`] without copying the input: a leaf column no gate changed is
    /// returned as [`NodeValues::Input`] (its index in `columns`), equal to the input bit for
    /// bit. The same values, ranks, quadrants and errors.
    pub fn score_columns_shared(&self, ids: &[&str], columns: &[(&str, &[f64])]) -> Result<SharedColumnScores> {
        let (mut cols, rank, quadrant) = self.columns_by_node(ids, columns)?;
        let t = &self.edition().tree;
        // Display order (breadth-first), nodes with values only.
        let mut nodes = Vec::new();
        let mut values = Vec::new();
        let mut queue = std::collections::VecDeque::from([t.root]);
        while let Some(j) = queue.pop_front() {
            match std::mem::replace(&mut cols[j], NodeCol::Absent) {
                NodeCol::Absent => {}
                NodeCol::Input(k) => {
                    nodes.push(t.ids[j].clone());
                    values.push(NodeValues::Input(k));
                }
                NodeCol::Owned(v) => {
                    nodes.push(t.ids[j].clone());
                    values.push(NodeValues::Computed(v));
                }
            }
            queue.extend(t.child[t.child_start[j]..t.child_start[j + 1]].iter().copied());
        }
        Ok(SharedColumnScores {
            edition: self.edition().id().to_string(),
            nodes,
            values,
            rank,
            quadrant,
        })
    }

    /// The column kernel: every node's column (`None` where neither given nor computable),
    /// indexed like the tree, then ranks and quadrants.
    ///
    /// Complete, valid columns of leaves take [`Plan::columns_fast`]; anything else (and
    /// any error, which that path only detects) the checked path, which names every problem.
    pub(crate) fn columns_by_node(&self, ids: &[&str], columns: &[(&str, &[f64])]) -> Result<KernelOut> {
        if let Some(out) = self.columns_fast(ids, columns) {
            return Ok(out);
        }
        let (cols, rank, quadrant) = self.columns_checked(ids, columns)?;
        let cols = cols
            .into_iter()
            .map(|c| c.map_or(NodeCol::Absent, NodeCol::Owned))
            .collect();
        Ok((cols, rank, quadrant))
    }

    /// The column kernel for the common case, in one pass over the data: `None` unless
    /// every column names a distinct leaf, with `m` values in [0, 1], no node rescales
    /// over the population (min-max), the index is computable, ids are unique and no gate
    /// is violated (`gates = "error"`). Rows are taken in blocks of [`BLOCK`]: each block
    /// is checked, gated and aggregated while it is in cache (the operations of
    /// [`Plan::columns_checked`] on each value, in the same order: the same bits). Leaves
    /// no gate changes are not copied ([`NodeCol::Input`]). The duplicate-id check runs on
    /// a second thread meanwhile (feature `parallel`).
    fn columns_fast(&self, ids: &[&str], columns: &[(&str, &[f64])]) -> Option<KernelOut> {
        let e = self.edition();
        let t = &e.tree;
        let n = t.ids.len();
        let m = ids.len();
        if m == 0 || !t.answer_gates.is_empty() || t.post.iter().any(|p| p.min_max.is_some()) {
            return None;
        }
        // Columns onto leaves.
        let mut given: Vec<Option<usize>> = vec![None; n];
        for (k, &(header, values)) in columns.iter().enumerate() {
            let j = e.resolve_column(header)?;
            if values.len() != m || !t.is_leaf[j] || given[j].is_some() {
                return None;
            }
            given[j] = Some(k);
        }
        // Which aggregates are computable (children before parents, as in the tree).
        let mut known: Vec<bool> = (0..n).map(|j| given[j].is_some()).collect();
        for j in 0..n {
            if !t.is_leaf[j] {
                known[j] = (t.child_start[j]..t.child_start[j + 1]).all(|s| known[t.child[s]]);
            }
        }
        if !known[t.root] {
            return None;
        }
        let gates = self.settings().gates;
        let weights = self.weights();
        let numeric = || -> Option<(Vec<NodeCol>, Vec<u32>)> {
            // Leaves changed by a gate get an owned copy when the first change shows.
            let mut owned: Vec<Option<Vec<f64>>> = vec![None; n];
            let mut out: Vec<Option<Vec<f64>>> = (0..n)
                .map(|j| (!t.is_leaf[j] && known[j]).then(|| vec![0.0f64; m]))
                .collect();
            let mut lo = 0;
            while lo < m {
                let hi = (lo + BLOCK).min(m);
                // Range check (branch-free so it vectorizes; NaN fails too).
                for &(_, values) in columns {
                    #[allow(clippy::manual_range_contains)]
                    if !values[lo..hi].iter().fold(true, |ok, &v| ok & (v >= 0.0) & (v <= 1.0)) {
                        return None;
                    }
                }
                // Gates, in order (each row on its own, as in the checked path).
                for (when, opens, gated, _) in &t.gates {
                    let Some(wk) = given[*when] else { continue };
                    let w_owned = owned[*when].take();
                    let w: &[f64] = &w_owned.as_deref().unwrap_or(columns[wk].1)[lo..hi];
                    let shut = |wv: f64| match opens {
                        GateOpensWhen::Positive => wv <= 0.0,
                        GateOpensWhen::Full => wv < 1.0,
                    };
                    for &g in gated {
                        let Some(gk) = given[g] else { continue };
                        let x: &[f64] = &owned[g].as_deref().unwrap_or(columns[gk].1)[lo..hi];
                        let any = x
                            .iter()
                            .zip(w)
                            .fold(false, |acc, (&x, &wv)| acc | (shut(wv) & (x > 0.0)));
                        if !any {
                            continue;
                        }
                        match gates {
                            GateMode::Error => return None,
                            GateMode::Apply => {
                                let gv = owned[g].get_or_insert_with(|| columns[gk].1.to_vec());
                                for (x, &wv) in gv[lo..hi].iter_mut().zip(w) {
                                    *x = if shut(wv) & (*x > 0.0) { 0.0 } else { *x };
                                }
                            }
                        }
                    }
                    owned[*when] = w_owned;
                }
                // Aggregates, children first.
                for j in 0..n {
                    if t.is_leaf[j] || !known[j] {
                        continue;
                    }
                    let (s0, s1) = (t.child_start[j], t.child_start[j + 1]);
                    let mut dst = out[j].take().expect("computable");
                    {
                        let child = |k: usize| -> &[f64] {
                            let c = t.child[s0 + k];
                            let full: &[f64] = match (&out[c], &owned[c], given[c]) {
                                (Some(v), _, _) => v,
                                (None, Some(v), _) => v,
                                (None, None, Some(ck)) => columns[ck].1,
                                _ => unreachable!("children of a computable node are known"),
                            };
                            &full[lo..hi]
                        };
                        aggregate_columns(
                            self.aggregation[j],
                            self.geometric_shift,
                            t.post[j],
                            &weights[s0..s1],
                            child,
                            &mut dst[lo..hi],
                        );
                    }
                    out[j] = Some(dst);
                }
                lo = hi;
            }
            let root = out[t.root].as_deref().expect("computable");
            let mut rank = vec![0u32; m];
            rank_desc(
                m,
                |i| rank_key(root[i], t.round_digits),
                &mut rank,
                &mut RankScratch::default(),
            );
            let cols = (0..n)
                .map(|j| match (out[j].take(), owned[j].take(), given[j]) {
                    (Some(v), _, _) | (None, Some(v), _) => NodeCol::Owned(v),
                    (None, None, Some(k)) => NodeCol::Input(k),
                    _ => NodeCol::Absent,
                })
                .collect();
            Some((cols, rank))
        };
        let (unique, scored) = join(|| ids_unique(ids), numeric);
        let (cols, rank) = scored?;
        if !unique {
            return None;
        }
        let split = self.settings().quadrant_split;
        let quadrant = match self.axes() {
            Some((a, b)) => match (cols[a].get(columns), cols[b].get(columns)) {
                (Some(x), Some(y)) => x
                    .iter()
                    .zip(y)
                    .map(|(&tv, &pv)| Some(Quadrant::of(tv, pv, split)))
                    .collect(),
                _ => vec![None; m],
            },
            None => vec![None; m],
        };
        Some((cols, rank, quadrant))
    }

    /// The column kernel with every check (what [`Plan::columns_by_node`] falls back to):
    /// every node's column (`None` where neither given nor computable), indexed like the
    /// tree, then ranks and quadrants; errors name every problem.
    #[allow(clippy::type_complexity)]
    fn columns_checked(
        &self,
        ids: &[&str],
        columns: &[(&str, &[f64])],
    ) -> Result<(Vec<Option<Vec<f64>>>, Vec<u32>, Vec<Option<Quadrant>>)> {
        let e = self.edition();
        let t = &e.tree;
        if !t.answer_gates.is_empty() {
            return Err(Error::usage(
                "unsupported",
                format!(
                    "{} has gates on answers in words, which numeric columns cannot carry; use Plan::score",
                    e.id()
                ),
            ));
        }
        let n = t.ids.len();
        let m = ids.len();
        let mut errors = Vec::new();
        // Ids: one hash-set pass (FxHash, as `prepare`: the hasher decides only where an id
        // is stored, never which ids are duplicates); the sort below, which names every
        // problem, runs only when there is one.
        let ids_ok = {
            let mut seen: std::collections::HashSet<&str, rustc_hash::FxBuildHasher> =
                std::collections::HashSet::with_capacity_and_hasher(m, rustc_hash::FxBuildHasher);
            ids.iter().all(|id| !id.trim().is_empty() && seen.insert(id))
        };
        if !ids_ok {
            let mut sorted: Vec<(&str, usize)> = ids.iter().copied().zip(0..m).collect();
            sorted.sort_unstable();
            for (k, &(id, i)) in sorted.iter().enumerate() {
                if id.trim().is_empty() {
                    errors.push(InputError::new(InputErrorKind::MissingId, "institution without id").row(i + 1));
                } else if k > 0 && sorted[k - 1].0 == id {
                    errors.push(
                        InputError::new(
                            InputErrorKind::DuplicateId,
                            format!("id used twice (first at row {})", sorted[k - 1].1 + 1),
                        )
                        .institution(id)
                        .value(id)
                        .row(i + 1),
                    );
                }
            }
        }
        // Columns onto nodes.
        let mut given: Vec<Option<(&str, &[f64])>> = vec![None; n];
        for &(header, values) in columns {
            let Some(j) = e.resolve_column(header) else {
                errors.push(
                    InputError::new(
                        InputErrorKind::UnknownNode,
                        format!("no node {header:?} in edition {}", e.id()),
                    )
                    .column(header)
                    .item(header),
                );
                continue;
            };
            if values.len() != m {
                errors.push(
                    InputError::new(
                        InputErrorKind::Malformed,
                        format!("{} values for {m} institutions", values.len()),
                    )
                    .column(header),
                );
                continue;
            }
            if given[j].is_some() {
                errors.push(
                    InputError::new(InputErrorKind::Malformed, format!("node {:?} given twice", t.ids[j]))
                        .column(header),
                );
                continue;
            }
            // Fast check; details only when something is wrong.
            // Branch-free so it vectorizes (`contains` short-circuits); NaN fails too.
            #[allow(clippy::manual_range_contains)]
            if !values.iter().fold(true, |ok, &v| ok & (v >= 0.0) & (v <= 1.0)) {
                for (i, &v) in values.iter().enumerate() {
                    if !(0.0..=1.0).contains(&v) {
                        let (kind, msg) = if v.is_finite() {
                            (InputErrorKind::OutOfRange, "scores must lie in [0, 1]")
                        } else {
                            (
                                InputErrorKind::NotFinite,
                                "not a finite number (columns must be complete; use the row API for empty or NA cells)",
                            )
                        };
                        errors.push(
                            InputError::new(kind, msg)
                                .institution(ids[i])
                                .item(&t.ids[j])
                                .column(header)
                                .row(i + 1)
                                .value(format!("{v}")),
                        );
                    }
                }
            }
            given[j] = Some((header, values));
        }
        if let Some(e) = InputErrors::from_vec(errors) {
            return Err(Error::Input(e));
        }
        // Leaves: owned copies (gates may change them).
        let mut cols: Vec<Option<Vec<f64>>> = vec![None; n];
        for j in 0..n {
            if t.is_leaf[j] {
                cols[j] = given[j].map(|(_, v)| v.to_vec());
            }
        }
        // Gates, in order, institution by institution within each gate (same result as the
        // row kernel: a gate only reads items earlier gates may have changed).
        let mut violations = Vec::new();
        for (when, opens, gated, gate_id) in &t.gates {
            let Some(w) = cols[*when].take() else { continue };
            for &g in gated {
                let Some(gv) = cols[g].as_mut() else { continue };
                // Values were checked finite above, so these are the negations of the
                // row kernel's `v > 0.0` and `v >= 1.0`.
                let shut = |wv: f64| match opens {
                    GateOpensWhen::Positive => wv <= 0.0,
                    GateOpensWhen::Full => wv < 1.0,
                };
                match self.settings().gates {
                    // Branch-free select: same values as the row kernel's `vals[g] = 0.0`.
                    GateMode::Apply => {
                        for (x, &wv) in gv.iter_mut().zip(&w) {
                            *x = if shut(wv) & (*x > 0.0) { 0.0 } else { *x };
                        }
                    }
                    GateMode::Error => {
                        let any = gv
                            .iter()
                            .zip(&w)
                            .fold(false, |acc, (&x, &wv)| acc | (shut(wv) & (x > 0.0)));
                        if any {
                            for i in 0..m {
                                if shut(w[i]) && gv[i] > 0.0 {
                                    violations.push((i, g, *when, w[i], gv[i], gate_id.clone()));
                                }
                            }
                        }
                    }
                }
            }
            cols[*when] = Some(w);
        }
        if !violations.is_empty() {
            violations.sort_by_key(|v| (v.0, v.1));
            let errors = violations
                .into_iter()
                .map(|(i, g, when, wv, gv, gate_id)| {
                    let mut e = InputError::new(
                        InputErrorKind::GateViolation,
                        format!(
                            "gate {gate_id:?}: {:?} is {wv}, so {:?} must be 0 (set gates = \"apply\" to score it 0)",
                            t.ids[when], t.ids[g]
                        ),
                    )
                    .institution(ids[i])
                    .item(&t.ids[g])
                    .row(i + 1)
                    .value(format!("{gv}"));
                    e.column = given[g].map(|(h, _)| h.to_string());
                    e
                })
                .collect();
            return Err(Error::Input(InputErrors::from_vec(errors).expect("non-empty")));
        }
        // Aggregates, children first, one node at a time over all institutions.
        let mut errors = Vec::new();
        let weights = self.weights();
        for j in 0..n {
            if t.is_leaf[j] {
                continue;
            }
            let (s0, s1) = (t.child_start[j], t.child_start[j + 1]);
            let computable = (s0..s1).all(|s| cols[t.child[s]].is_some());
            let computed = if computable {
                let mut out = vec![0.0f64; m];
                aggregate_columns(
                    self.aggregation[j],
                    self.geometric_shift,
                    t.post[j],
                    &weights[s0..s1],
                    |k| cols[t.child[s0 + k]].as_deref().expect("computable"),
                    &mut out,
                );
                min_max_column(t.post[j], &t.ids[j], &mut out)?;
                Some(out)
            } else {
                None
            };
            cols[j] = match (given[j], computed) {
                (Some(_), Some(c)) if self.settings().on_mismatch == MismatchPolicy::Recompute => Some(c),
                (Some((header, g)), Some(c)) => {
                    if self.settings().on_mismatch == MismatchPolicy::Error {
                        let tol = self.settings().consistency_tolerance;
                        for i in 0..m {
                            if (g[i] - c[i]).abs() > tol {
                                errors.push(
                                    InputError::new(
                                        InputErrorKind::Mismatch,
                                        format!(
                                            "given {} but its children give {} (difference {:.6} > tolerance {tol})",
                                            g[i],
                                            c[i],
                                            (g[i] - c[i]).abs()
                                        ),
                                    )
                                    .institution(ids[i])
                                    .item(&t.ids[j])
                                    .column(header)
                                    .row(i + 1)
                                    .value(format!("{}", g[i])),
                                );
                            }
                        }
                    }
                    Some(g.to_vec())
                }
                (Some((_, g)), None) => Some(g.to_vec()),
                (None, c) => c,
            };
        }
        if cols[t.root].is_none() && m > 0 {
            let mut j = t.root;
            while let Some(c) = (t.child_start[j]..t.child_start[j + 1])
                .map(|s| t.child[s])
                .find(|&c| cols[c].is_none())
            {
                j = c;
            }
            let parent = t.parent[j].map(|p| t.ids[p].as_str()).unwrap_or("");
            errors.push(
                InputError::new(
                    InputErrorKind::MissingValue,
                    format!(
                        "cannot compute {:?}: no value for {:?} (give it, or give {:?})",
                        t.ids[t.root], t.ids[j], parent
                    ),
                )
                .institution(ids[0])
                .item(&t.ids[j])
                .row(1),
            );
        }
        if let Some(e) = InputErrors::from_vec(errors) {
            return Err(Error::Input(e));
        }
        // Quadrants and ranks.
        let mut rank = vec![0u32; m];
        if let (true, Some(root_col)) = (m > 0, cols[t.root].as_deref()) {
            rank_desc(
                m,
                |i| rank_key(root_col[i], t.round_digits),
                &mut rank,
                &mut RankScratch::default(),
            );
        }
        let split = self.settings().quadrant_split;
        let quadrant = match self.axes() {
            Some((a, b)) => match (&cols[a], &cols[b]) {
                (Some(x), Some(y)) => x
                    .iter()
                    .zip(y)
                    .map(|(&tv, &pv)| Some(Quadrant::of(tv, pv, split)))
                    .collect(),
                _ => vec![None; m],
            },
            None => vec![None; m],
        };
        Ok((cols, rank, quadrant))
    }
}

impl Plan {
    /// The cells of `data` as one `f64` column per leaf, in `data.columns`' order, when the
    /// column kernel scores it exactly as the row path does (item-level: one column per
    /// leaf, every leaf given, every cell a value, leaves ranged [0, 1], no answers in
    /// words, no long format, no min-max node); else `None`.
    fn complete_leaves(&self, data: &Dataset) -> Option<Vec<Vec<f64>>> {
        let t = &self.edition().tree;
        let n = t.ids.len();
        let m = data.len();
        let leaves = t.is_leaf.iter().filter(|&&l| l).count();
        if m == 0
            || data.columns.len() != leaves
            || !t.answer_gates.is_empty()
            || t.post.iter().any(|p| p.min_max.is_some())
            || (0..n).any(|j| t.is_leaf[j] && (t.post[j].lo, t.post[j].hi) != (0.0, 1.0))
        {
            return None;
        }
        let mut seen = vec![false; n];
        let mut numbers: Vec<Vec<f64>> = Vec::with_capacity(leaves);
        for col in &data.columns {
            let j = self.edition().resolve_column(&col.header)?;
            if !t.is_leaf[j] || seen[j] || col.rows.is_some() || col.answers.is_some() || col.cells.len() != m {
                return None;
            }
            seen[j] = true;
            let mut v = Vec::with_capacity(m);
            for c in &col.cells {
                match *c {
                    Cell::Value(x) => v.push(x),
                    _ => return None,
                }
            }
            numbers.push(v);
        }
        Some(numbers)
    }

    /// [`Plan::score`] of complete item-level data as columns, for bindings that build a
    /// column-major table: `(leaves, scores)`, `leaves` the dataset's cells as one `f64`
    /// column per entry of `data.columns` (what [`NodeValues::Input`] refers to). The
    /// values, ranks and quadrants of [`Plan::score`], bit for bit (its own fast path).
    /// `None` when that fast path does not apply or the data has a problem: call
    /// [`Plan::score`], which scores it by rows or reports the problem.
    pub fn score_complete_columns(&self, data: &Dataset) -> Option<(Vec<Vec<f64>>, SharedColumnScores)> {
        let numbers = self.complete_leaves(data)?;
        let ids: Vec<&str> = data.institutions.iter().map(|x| x.id.as_str()).collect();
        let named: Vec<(&str, &[f64])> = data
            .columns
            .iter()
            .zip(&numbers)
            .map(|(c, v)| (c.header.as_str(), v.as_slice()))
            .collect();
        let scores = self.score_columns_shared(&ids, &named).ok()?;
        drop(named);
        Some((numbers, scores))
    }
}

impl Plan {
    /// [`Plan::score`]'s fast path: a dataset the column kernel scores exactly as the row
    /// path does (item-level: one column per leaf, every leaf given, every cell a value
    /// within [0, 1], leaves ranged [0, 1], no answers in words, no long format, no
    /// min-max node) is scored column by column and returned as row-path [`Scores`]. The
    /// column kernel performs the row kernels' floating-point operations in the same
    /// order, so the bits are the same. `None` (score it by the row path) for any other
    /// dataset and on any error, so the row path reports every problem exactly as before.
    pub(crate) fn score_by_columns(
        &self,
        data: &Dataset,
        institutions: impl FnOnce() -> Arc<[Institution]>,
    ) -> Option<Scores> {
        let t = &self.edition().tree;
        let n = t.ids.len();
        let m = data.len();
        let numbers = self.complete_leaves(data)?;
        let ids: Vec<&str> = data.institutions.iter().map(|x| x.id.as_str()).collect();
        let named: Vec<(&str, &[f64])> = data
            .columns
            .iter()
            .zip(&numbers)
            .map(|(c, v)| (c.header.as_str(), v.as_slice()))
            .collect();
        let (cols, rank, quadrant) = self.columns_by_node(&ids, &named).ok()?;
        // Row-major, as the row kernels write it: every node is known.
        let cols: Vec<&[f64]> = cols.iter().map(|c| c.get(&named)).collect::<Option<_>>()?;
        let mut values = vec![0.0f64; m * n];
        // In blocks of rows, so each block of the output stays in cache while every
        // column writes into it (a column at a time over all rows would stream the whole
        // output once per node).
        const ROWS: usize = 256;
        for (b, block) in values.chunks_mut(ROWS * n).enumerate() {
            let lo = b * ROWS;
            for (j, c) in cols.iter().enumerate() {
                for (row, &x) in block.chunks_exact_mut(n).zip(&c[lo..]) {
                    row[j] = x;
                }
            }
        }
        Some(Scores {
            edition: self.edition().id().to_string(),
            nodes: t.ids.clone(),
            institutions: institutions(),
            values,
            known: vec![true; m * n],
            rank,
            quadrant,
            scratch: Default::default(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edition::{Edition, Options};
    use crate::input::Column;
    use crate::synthetic::{item_level, SplitMix64};

    /// The row path alone (what `Plan::score` did before the column fast path).
    fn by_rows(p: &Plan, d: &Dataset) -> Result<Scores> {
        let prepared = p.prepare(d)?;
        let mut out = p.buffer(&prepared);
        p.evaluate_into(&prepared, &mut out)?;
        Ok(out)
    }

    /// `Plan::score` (fast path when it applies) against the row path: the same bits,
    /// ranks, quadrants and institutions, or the same errors.
    fn same_as_rows(p: &Plan, d: &Dataset, fast: bool) {
        assert_eq!(
            p.score_by_columns(d, || d.institutions.as_slice().into()).is_some(),
            fast
        );
        let rows = by_rows(p, d);
        for got in [p.score(d), p.score_owned(d.clone())] {
            match (&got, &rows) {
                (Ok(a), Ok(b)) => {
                    assert_eq!(a.nodes, b.nodes);
                    assert_eq!(a.known, b.known);
                    let bits = |s: &Scores| -> Vec<u64> {
                        s.values
                            .iter()
                            .zip(&s.known)
                            .map(|(v, &k)| if k { v.to_bits() } else { 0 })
                            .collect()
                    };
                    assert_eq!(bits(a), bits(b));
                    assert_eq!(a.rank, b.rank);
                    assert_eq!(a.quadrant, b.quadrant);
                    assert_eq!(a.institutions, b.institutions);
                    assert_eq!(a.edition, b.edition);
                }
                (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
                _ => panic!(
                    "fast path {:?} but row path {:?}",
                    got.as_ref().err(),
                    rows.as_ref().err()
                ),
            }
        }
    }

    fn plan(gates: GateMode) -> Plan {
        let e = Edition::load("mga-2017").unwrap();
        let o = Options {
            gates: Some(gates),
            ..Default::default()
        };
        Plan::new(&e, &o).unwrap()
    }

    #[test]
    fn fast_path_gives_the_bits_of_the_row_path() {
        let e = Edition::load("mga-2017").unwrap();
        let mut g = SplitMix64::new(11);
        for gates in [GateMode::Error, GateMode::Apply] {
            let p = plan(gates);
            for m in [1, 2, 33, 2043, 20_000] {
                // Gates respected, so both modes score it.
                let d = item_level(&e, m, m as u64);
                same_as_rows(&p, &d, true);
                // Any value in [0, 1] (full precision, gates broken: applied, or errors).
                let mut d2 = d.clone();
                for c in &mut d2.columns {
                    for x in &mut c.cells {
                        *x = Cell::Value(match g.below(5) {
                            0 => 0.0,
                            1 => 1.0,
                            _ => g.next_f64(),
                        });
                    }
                }
                same_as_rows(&p, &d2, gates == GateMode::Apply);
            }
        }
    }

    #[test]
    fn shared_columns_hand_back_only_unchanged_leaves() {
        let e = Edition::load("mga-2017").unwrap();
        let d = item_level(&e, 500, 5);
        let cols: Vec<Vec<f64>> = d
            .columns
            .iter()
            .map(|c| {
                c.cells
                    .iter()
                    .map(|c| if let Cell::Value(v) = c { *v } else { f64::NAN })
                    .collect()
            })
            .collect();
        let ids: Vec<&str> = d.institutions.iter().map(|x| x.id.as_str()).collect();
        let mut named: Vec<(&str, &[f64])> = d
            .columns
            .iter()
            .zip(&cols)
            .map(|(c, v)| (c.header.as_str(), v.as_slice()))
            .collect();
        // Every gate respected: every leaf is its input column, the same bits as copied.
        let p = plan(GateMode::Apply);
        let shared = p.score_columns_shared(&ids, &named).unwrap();
        let copied = p.score_columns(&ids, &named).unwrap();
        assert_eq!(shared.nodes, copied.nodes);
        let mut inputs = 0;
        for (v, c) in shared.values.iter().zip(&copied.values) {
            let got: &[f64] = match v {
                NodeValues::Input(k) => {
                    inputs += 1;
                    named[*k].1
                }
                NodeValues::Computed(v) => v,
            };
            assert_eq!(
                got.iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
                c.iter().map(|x| x.to_bits()).collect::<Vec<_>>()
            );
        }
        assert_eq!(inputs, named.len());
        // A gate that zeroes one item: that leaf is computed (and zeroed), the input unchanged.
        let k = d.columns.iter().position(|c| c.header == "pg.actores").unwrap();
        let gate = d.columns.iter().position(|c| c.header == "pg.mecanismos").unwrap();
        let mut broken = cols[k].clone();
        let row = cols[gate].iter().position(|&v| v == 0.0).unwrap();
        broken[row] = 1.0;
        named[k].1 = &broken;
        let shared = p.score_columns_shared(&ids, &named).unwrap();
        let j = shared.nodes.iter().position(|n| n == "pg.actores").unwrap();
        match &shared.values[j] {
            NodeValues::Computed(v) => assert_eq!(v[row], 0.0),
            other => panic!("expected a computed column, got {other:?}"),
        }
        assert_eq!(broken[row], 1.0);
        // gates = "error": the same data is an error (the checked path names it).
        assert!(plan(GateMode::Error).score_columns_shared(&ids, &named).is_err());
    }

    #[test]
    fn fast_path_declines_what_only_the_row_path_scores() {
        let e = Edition::load("mga-2017").unwrap();
        let p = plan(GateMode::Error);
        let base = item_level(&e, 300, 3);
        // Missing cell, not applicable, out of range, NaN, an infinity: declined, and the
        // row path's result (or error) is what `score` gives.
        for cell in [
            Cell::Missing,
            Cell::NotApplicable,
            Cell::Value(1.5),
            Cell::Value(-0.0),
            Cell::Value(f64::NAN),
            Cell::Value(f64::INFINITY),
        ] {
            let mut d = base.clone();
            d.columns[3].cells[7] = cell;
            same_as_rows(&p, &d, matches!(cell, Cell::Value(v) if v == 0.0));
        }
        // A missing leaf, a given aggregate, an unknown column, a duplicate id, an empty id.
        let mut d = base.clone();
        d.columns.pop();
        same_as_rows(&p, &d, false);
        let mut d = base.clone();
        let iga: Vec<Cell> = (0..300).map(|_| Cell::Value(0.5)).collect();
        d.columns[0] = Column {
            header: "iga".into(),
            cells: iga,
            rows: None,
            answers: None,
        };
        same_as_rows(&p, &d, false);
        let mut d = base.clone();
        d.columns[0].header = "nope".into();
        same_as_rows(&p, &d, false);
        let mut d = base.clone();
        d.institutions[5].id = d.institutions[4].id.clone();
        same_as_rows(&p, &d, false);
        let mut d = base.clone();
        d.institutions[5].id = " ".into();
        same_as_rows(&p, &d, false);
        // Long format (cells from other rows): declined.
        let mut d = base.clone();
        d.columns[2].rows = Some((1..=300).collect());
        same_as_rows(&p, &d, false);
        // An empty dataset.
        let d = Dataset::new(Vec::new());
        same_as_rows(&p, &d, false);
    }

    #[test]
    #[cfg(all(feature = "csv", feature = "json"))]
    fn fast_path_on_the_sample_and_the_published_file() {
        let e = Edition::load("mga-2017").unwrap();
        let sample = include_bytes!("../../../data/samples/mga-2017-sample.csv");
        let d = crate::io::read_auto(sample, &e, "sample").unwrap();
        let fast = plan(GateMode::Error)
            .score_by_columns(&d, || d.institutions.as_slice().into())
            .is_some();
        same_as_rows(&plan(GateMode::Error), &d, fast);
        same_as_rows(&plan(GateMode::Apply), &d, fast);
        let published = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../shared/mga-data/mga2017_sujetos_obligados_BSO.csv");
        if let Ok(bytes) = std::fs::read(&published) {
            let d = crate::io::read_auto(&bytes, &e, "published").unwrap();
            for gates in [GateMode::Error, GateMode::Apply] {
                let p = plan(gates);
                let fast = p.score_by_columns(&d, || d.institutions.as_slice().into()).is_some();
                same_as_rows(&p, &d, fast);
            }
        }
    }
}
