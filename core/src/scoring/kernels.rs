//! The row kernels: [`Plan::evaluate_into`] and the two functions that evaluate one
//! institution, `evaluate_row_simple` (item-level data: copy, gates, weighted means) and
//! `evaluate_row` (everything else: partial input, given aggregates and their consistency
//! checks, not-applicable items, missing values). Both perform the same floating-point
//! operations in the same order, so they give identical bits.

use crate::edition::{Aggregation, GateMode, GateOpensWhen, Incomplete, MismatchPolicy, NotApplicablePolicy};
use crate::error::{Error, InputError, InputErrorKind, InputErrors, Result};
use crate::scoring::columns::min_max_known;
use crate::scoring::prepared::{NA, VALUE};
use crate::scoring::ranking::{rank_desc, rank_key, Quadrant};
use crate::scoring::{Plan, Prepared, Scores};

impl Plan {
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
        if self.edition.tree.post.iter().any(|p| p.min_max.is_some()) {
            self.population_pass(prepared, out)?;
        }
        self.rank_and_classify(out);
        Ok(())
    }

    /// Min-max nodes, once every row is scored: each is rescaled over the scored
    /// population (rows where it is known), then its ancestors are aggregated again with
    /// the arithmetic of the row kernels. A given ancestor keeps its given value unless
    /// `on_mismatch = recompute`. Allocates one column per min-max node.
    fn population_pass(&self, prepared: &Prepared, out: &mut Scores) -> Result<()> {
        let t = &self.edition.tree;
        let n = prepared.n_nodes;
        let m = prepared.len();
        for j in 0..n {
            if t.post[j].min_max.is_none() || t.is_leaf[j] {
                continue;
            }
            let mut col: Vec<f64> = (0..m).map(|i| out.values[i * n + j]).collect();
            let known: Vec<bool> = (0..m).map(|i| out.known[i * n + j]).collect();
            min_max_known(t.post[j], &t.ids[j], &mut col, |i| known[i])?;
            for (i, &x) in col.iter().enumerate() {
                out.values[i * n + j] = x;
                let mut a = t.parent[j];
                while let Some(p) = a {
                    let row = i * n;
                    let given =
                        prepared.state[row + p] == VALUE && self.settings.on_mismatch != MismatchPolicy::Recompute;
                    let (s0, s1) = (t.child_start[p], t.child_start[p + 1]);
                    if given || !(s0..s1).all(|s| out.known[row + t.child[s]]) {
                        break;
                    }
                    let v = self.aggregate(p, s0, s1, self.aggregation[p], &out.values[row..row + n]);
                    out.values[row + p] = v;
                    out.known[row + p] = true;
                    a = t.parent[p];
                }
            }
        }
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
            vals[j] = self.aggregate(j, s0, s1, aggregation, vals);
        }
    }

    /// Node `j` from its children's values in `vals` (one row): `start`, `add` per child
    /// in order, `finish`, then the node's `Post` — the arithmetic every row kernel shares.
    #[inline]
    fn aggregate(&self, j: usize, s0: usize, s1: usize, aggregation: Aggregation, vals: &[f64]) -> f64 {
        let t = &self.edition.tree;
        let shift = self.geometric_shift;
        let mut wsum = 0.0;
        let mut acc = aggregation.start();
        for (&c, &w) in t.child[s0..s1].iter().zip(&self.weights[s0..s1]) {
            wsum += w;
            acc = aggregation.add(acc, w, vals[c], shift);
        }
        t.post[j].apply(aggregation.finish(acc, wsum, shift))
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
            let agg = self.aggregation[j];
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
                acc = agg.add(acc, w, vals[c], self.geometric_shift);
            }
            // Dividing by the actual weight sum (1 within 1e-9, or less after excluded
            // children) makes the mean exact at the ends: all ones give exactly 1.
            let computed =
                (all_known && any_included).then(|| t.post[j].apply(agg.finish(acc, wsum, self.geometric_shift)));
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
        if !known[r] && self.settings.incomplete == Incomplete::Error {
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

    /// Quadrants and ranks of every institution in `out` (also of scores given as they are:
    /// [`Plan::rank_scores`]).
    pub(super) fn rank_and_classify(&self, out: &mut Scores) {
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
        let (values, known) = (&out.values, &out.known);
        let digits = self.edition.tree.round_digits;
        // A unit without an index value (incomplete = partial) ranks below every other
        // and gets rank 0 (none).
        let key = |i: usize| match known[i * n + r] {
            true => rank_key(values[i * n + r], digits),
            false => f64::MIN,
        };
        rank_desc(m, key, &mut out.rank, &mut out.scratch);
        for i in 0..m {
            if !out.known[i * n + r] {
                out.rank[i] = 0;
            }
        }
    }
}
