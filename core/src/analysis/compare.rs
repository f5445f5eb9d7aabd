//! Comparison of two runs (two years, two editions, or both): institutions matched by id
//! or through a [`Crosswalk`], every node's old and new value and change, rank and quadrant
//! transitions, the same by group, and, when the two runs use different methods, every
//! change split into a **data effect** and a **method effect**.
//!
//! # Matching
//!
//! Institutions are matched by id; a crosswalk pairs renamed, merged and split ones (see
//! [`mod@crate::input::crosswalk`]). Each pair is one row of the result:
//!
//! * `both`: one old institution, one new one (same id or renamed);
//! * `merged`: several old institutions became one new one. **Each old unit is compared
//!   with the new unit** (one row per pair, all with status `merged`): the new unit's
//!   values and rank appear in every row, each old unit's own values and rank in its row;
//! * `split`: one old institution became several new ones: one row per new unit, each
//!   compared with the whole old unit;
//! * `old_only`, `new_only`: in one file only (no changes).
//!
//! Rows are sorted by id (the new id where there is one), then old id, so the result does
//! not depend on the order of either file.
//!
//! # Changes
//!
//! `delta = new - old` for every node scored in both runs; `rank_delta = rank_new -
//! rank_old` (negative: the institution moved up). Ranks are those of each run over all
//! of its institutions.
//!
//! # Data and method effects
//!
//! When the two plans differ (edition, weights, aggregation or settings) and the new plan
//! can score the old data (the same items), the old data are rescored under the new method:
//! the **backcast** ([`Comparison::backcast`]). Its ancestors of given nodes are dropped
//! first (a published aggregate was computed under the old method) and recomputed from the
//! lowest nodes given. Then, per node,
//!
//! * `data_effect = new - backcast` (the new method, old data against new data);
//! * `method_effect = (new - old) - data_effect`, **the remainder**: the old data, old
//!   method against new method (equal to `backcast - old` up to rounding);
//! * `delta = data_effect + method_effect`, so the two effects add up to the delta bit
//!   for bit. That is the delta reported wherever the effects are: it equals `new - old`
//!   to the last bit or two. (No split of a floating-point difference into two rounded
//!   parts can always add up to the difference `new - old` rounded on its own: with effects
//!   near 0.6 and a change of 3 x 2^-54, every sum of two doubles near 0.6 is a multiple of
//!   2^-53.)
//!
//! When the plans are the same, or the new plan cannot score the old data, there are no
//! effects and [`Comparison::notes`] says why.
//!
//! # Significance
//!
//! Given 5th-95th percentile rank intervals of both runs ([`RankIntervals`], from
//! uncertainty analyses), a pair's rank change is `significant` when the new rank lies
//! outside the old run's interval **and** the old rank outside the new run's interval
//! (strictly: below its 5th or above its 95th percentile).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use crate::analysis::GroupBy;
use crate::error::{Error, InputError, InputErrorKind, InputErrors, Result};
use crate::input::crosswalk::Crosswalk;
use crate::input::{Dataset, Institution};
use crate::scoring::{Plan, Quadrant, Scores};

/// How an institution of the comparison was matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchStatus {
    /// In both files (same id, or renamed by the crosswalk).
    Both,
    /// One of several old institutions merged into one new institution.
    Merged,
    /// One of several new institutions split from one old institution.
    Split,
    /// In the old file only.
    OldOnly,
    /// In the new file only.
    NewOnly,
}

impl MatchStatus {
    /// `both`, `merged`, `split`, `old_only`, `new_only`.
    pub fn as_str(self) -> &'static str {
        match self {
            MatchStatus::Both => "both",
            MatchStatus::Merged => "merged",
            MatchStatus::Split => "split",
            MatchStatus::OldOnly => "old_only",
            MatchStatus::NewOnly => "new_only",
        }
    }
    /// Whether the row pairs an old and a new institution.
    pub fn is_matched(self) -> bool {
        matches!(self, MatchStatus::Both | MatchStatus::Merged | MatchStatus::Split)
    }
}

/// One institution's rank interval in one run (e.g. the 5th and 95th percentiles of its
/// rank in an uncertainty analysis).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RankInterval {
    /// Institution id (of that run's file).
    pub id: String,
    /// Lower bound (best rank end, e.g. the 5th percentile).
    pub low: f64,
    /// Upper bound (e.g. the 95th percentile).
    pub high: f64,
}

/// Rank intervals of both runs, for the `significant` flag.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RankIntervals {
    /// Intervals of the old run.
    pub old: Vec<RankInterval>,
    /// Intervals of the new run.
    pub new: Vec<RankInterval>,
}

/// What a comparison does besides matching by id.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CompareOptions {
    /// Pairs of renamed, merged and split institutions.
    pub crosswalk: Option<Crosswalk>,
    /// Also compare group means (jurisdiction, level, type or a metadata column).
    pub by: Option<GroupBy>,
    /// Rank intervals of both runs: flags significant rank changes.
    pub intervals: Option<RankIntervals>,
}

/// One node of one row: old and new value, change, and the effects where they apply.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NodeChange {
    /// Old value.
    pub old: Option<f64>,
    /// New value.
    pub new: Option<f64>,
    /// `new - old` (where the effects apply: `data_effect + method_effect`).
    pub delta: Option<f64>,
    /// The old data scored under the new method.
    pub backcast: Option<f64>,
    /// `new - backcast`: the change due to the data, under the new method.
    pub data_effect: Option<f64>,
    /// The remainder `(new - old) - data_effect`: the change due to the method, on the old
    /// data (`backcast - old` up to rounding).
    pub method_effect: Option<f64>,
}

/// One row of a comparison: a pair of institutions, or one in a single file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InstitutionChange {
    /// The new id where there is one, else the old id.
    pub id: String,
    /// Id in the old file.
    pub old_id: Option<String>,
    /// Id in the new file.
    pub new_id: Option<String>,
    /// Name (the new file's where there is one).
    pub name: String,
    /// How it was matched.
    pub status: MatchStatus,
    /// Rank in the old run (`None`: not in it, or no index).
    pub rank_old: Option<u32>,
    /// Rank in the new run.
    pub rank_new: Option<u32>,
    /// `rank_new - rank_old` (negative: moved up).
    pub rank_delta: Option<i64>,
    /// Quadrant in the old run.
    pub quadrant_old: Option<Quadrant>,
    /// Quadrant in the new run.
    pub quadrant_new: Option<Quadrant>,
    /// Rank change beyond both runs' intervals (`None` without intervals for both).
    pub significant: Option<bool>,
    /// One change per node of [`Comparison::nodes`].
    pub nodes: Vec<NodeChange>,
}

impl InstitutionChange {
    /// The change of a node, by position in [`Comparison::nodes`].
    pub fn node(&self, k: usize) -> &NodeChange {
        &self.nodes[k]
    }
}

/// Labels of the rows and columns of [`QuadrantTransitions::counts`].
pub const QUADRANT_LABELS: [&str; 5] = ["I", "II", "III", "IV", "none"];

/// Counts of matched rows by (old quadrant, new quadrant); index 4 is "none" (unknown).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuadrantTransitions {
    /// `counts[old][new]`, in the order of [`QUADRANT_LABELS`].
    pub counts: [[usize; 5]; 5],
}

/// Index of a quadrant in [`QUADRANT_LABELS`].
pub fn quadrant_index(q: Option<Quadrant>) -> usize {
    match q {
        Some(Quadrant::I) => 0,
        Some(Quadrant::II) => 1,
        Some(Quadrant::III) => 2,
        Some(Quadrant::IV) => 3,
        None => 4,
    }
}

/// Rows by status.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusCounts {
    /// Matched one to one.
    pub both: usize,
    /// Rows of merges (one per old unit).
    pub merged: usize,
    /// Rows of splits (one per new unit).
    pub split: usize,
    /// In the old file only.
    pub old_only: usize,
    /// In the new file only.
    pub new_only: usize,
}

/// Means of one node over a group's matched rows with both values.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupNodeChange {
    /// Rows with an old and a new value.
    pub n: usize,
    /// Mean old value.
    pub mean_old: f64,
    /// Mean new value.
    pub mean_new: f64,
    /// Mean of the rows' deltas.
    pub mean_delta: f64,
}

/// One group of a comparison by group.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupChange {
    /// Group label (`"national"` for the final row of all rows).
    pub group: String,
    /// Matched rows (both, merged, split).
    pub n_matched: usize,
    /// Rows in the old file only.
    pub n_old_only: usize,
    /// Rows in the new file only.
    pub n_new_only: usize,
    /// One entry per node of [`Comparison::nodes`] (`None`: no row with both values).
    pub nodes: Vec<Option<GroupNodeChange>>,
}

/// The result of [`compare()`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// Edition id of the old run.
    pub old_edition: String,
    /// Edition id of the new run.
    pub new_edition: String,
    /// Nodes scored in both runs, in the new edition's display order (breadth first).
    pub nodes: Vec<String>,
    /// One row per pair or unmatched institution, sorted by id then old id.
    pub institutions: Vec<InstitutionChange>,
    /// Quadrant transitions of the matched rows.
    pub transitions: QuadrantTransitions,
    /// Rows by status.
    pub counts: StatusCounts,
    /// Whether the data and method effects were computed.
    pub effects: bool,
    /// The old data scored under the new method (where the effects apply).
    #[serde(skip)]
    pub backcast: Option<Scores>,
    /// What the groups are, if asked.
    pub by: Option<GroupBy>,
    /// Groups in a stable order, then `national` (empty without `by`).
    pub groups: Vec<GroupChange>,
    /// Matched rows without a value for the grouping key (counted only in `national`).
    pub ungrouped: usize,
    /// Why there are no effects, or anything else the reader should know.
    pub notes: Vec<String>,
}

impl Comparison {
    /// Position of a node in [`Comparison::nodes`].
    pub fn node_index(&self, node: &str) -> Option<usize> {
        self.nodes.iter().position(|n| n == node)
    }
    /// The row of a pair (old id, new id), or of an institution in one file only.
    pub fn row(&self, old_id: Option<&str>, new_id: Option<&str>) -> Option<&InstitutionChange> {
        self.institutions
            .iter()
            .find(|r| r.old_id.as_deref() == old_id && r.new_id.as_deref() == new_id)
    }
}

/// Whether two plans compute the same thing: the same edition (as a file), settings,
/// weights, aggregations and geometric policy.
pub fn same_method(a: &Plan, b: &Plan) -> bool {
    a.settings() == b.settings()
        && a.weights() == b.weights()
        && a.aggregations() == b.aggregations()
        && a.geometric_shift() == b.geometric_shift()
        && a.edition().to_json_string() == b.edition().to_json_string()
}

/// The old data as the backcast scores them: columns of nodes that have a given
/// descendant (under the new edition) dropped, so aggregates are recomputed.
fn lowest_given(plan: &Plan, data: &Dataset) -> Dataset {
    let e = plan.edition();
    let t = &e.tree;
    let given: BTreeSet<usize> = data
        .columns
        .iter()
        .filter_map(|c| e.resolve_column(&c.header))
        .collect();
    let mut above: BTreeSet<usize> = BTreeSet::new();
    for &j in &given {
        let mut cur = t.parent[j];
        while let Some(p) = cur {
            above.insert(p);
            cur = t.parent[p];
        }
    }
    let mut out = data.clone();
    out.columns
        .retain(|c| e.resolve_column(&c.header).is_none_or(|j| !above.contains(&j)));
    out
}

/// Nodes in display order (breadth first from the root) with a value in both runs.
fn compared_nodes(new_plan: &Plan, old: &Scores, new: &Scores) -> Vec<(String, usize, usize)> {
    let t = &new_plan.edition().tree;
    let mut out = Vec::new();
    let mut queue = std::collections::VecDeque::from([t.root]);
    while let Some(j) = queue.pop_front() {
        let id = &t.ids[j];
        if let (Some(oj), Some(nj)) = (old.node_index(id), new.node_index(id)) {
            if old.has_any(oj) && new.has_any(nj) {
                out.push((id.clone(), oj, nj));
            }
        }
        queue.extend(t.child[t.child_start[j]..t.child_start[j + 1]].iter().copied());
    }
    out
}

fn rank_of(s: &Scores, i: usize) -> Option<u32> {
    (s.rank[i] > 0).then_some(s.rank[i])
}

/// Pairs (old index, new index) of the two runs: the crosswalk's rows, then every old id
/// that no row names as `old_id` with the same id in the new file.
fn pairs(old: &Scores, new: &Scores, crosswalk: Option<&Crosswalk>) -> Result<Vec<(usize, usize)>> {
    let old_pos: HashMap<&str, usize> = old
        .institutions
        .iter()
        .enumerate()
        .map(|(i, x)| (x.id.as_str(), i))
        .collect();
    let new_pos: HashMap<&str, usize> = new
        .institutions
        .iter()
        .enumerate()
        .map(|(i, x)| (x.id.as_str(), i))
        .collect();
    let mut out = Vec::new();
    let mut renamed: BTreeSet<&str> = BTreeSet::new();
    if let Some(cw) = crosswalk {
        let mut errors = Vec::new();
        for p in &cw.pairs {
            let o = old_pos.get(p.old_id.as_str()).copied();
            let n = new_pos.get(p.new_id.as_str()).copied();
            for (col, id, found, this, other, in_other) in [
                (
                    "old_id",
                    &p.old_id,
                    o.is_some(),
                    "old",
                    "new",
                    new_pos.contains_key(p.old_id.as_str()),
                ),
                (
                    "new_id",
                    &p.new_id,
                    n.is_some(),
                    "new",
                    "old",
                    old_pos.contains_key(p.new_id.as_str()),
                ),
            ] {
                if !found {
                    let message = if in_other {
                        format!("{col} {id:?} is not in the {this} file (it is in the {other} file: are the columns swapped?)")
                    } else {
                        format!("{col} {id:?} exists in neither file")
                    };
                    errors.push(
                        InputError::new(InputErrorKind::UnknownInstitution, message)
                            .source(&cw.source)
                            .row(p.row)
                            .column(col)
                            .value(id.as_str())
                            .institution(id.as_str()),
                    );
                }
            }
            if let (Some(o), Some(n)) = (o, n) {
                out.push((o, n));
            }
            renamed.insert(p.old_id.as_str());
        }
        if let Some(list) = InputErrors::from_vec(errors) {
            return Err(Error::Input(list));
        }
    }
    for (i, x) in old.institutions.iter().enumerate() {
        if renamed.contains(x.id.as_str()) {
            continue;
        }
        if let Some(&n) = new_pos.get(x.id.as_str()) {
            out.push((i, n));
        }
    }
    Ok(out)
}

/// Compares two runs: `old_data` scored under `old_plan` with `new_data` under `new_plan`.
/// See the [module documentation](self) for the matching, the changes, the effects and
/// significance.
///
/// Errors: either side that its plan cannot score (the error names the file and the
/// edition), crosswalk ids in neither file or in the wrong one (`unknown_institution`, with
/// the crosswalk's row, column and value), a crosswalk group that is both a merge and a
/// split once ids matched by themselves are added (`crosswalk_many_to_many`).
///
/// ```
/// use apertura::analysis::compare::{compare, CompareOptions};
/// use apertura::{io, Edition, Options, Plan};
/// let e = Edition::load("mga-2017")?;
/// let plan = Plan::new(&e, &Options::default())?;
/// let old = io::read_csv(b"id,tg,tc,pg,pc\na,0.4,0.6,0.2,0.2\nb,1,1,1,1\n", &e, "old.csv")?;
/// let new = io::read_csv(b"id,tg,tc,pg,pc\na,0.8,0.6,0.2,0.2\nc,1,1,1,1\n", &e, "new.csv")?;
/// let cmp = compare(&plan, &old, &plan, &new, &CompareOptions::default())?;
/// let a = &cmp.institutions[0];
/// let tg = cmp.node_index("tg").unwrap();
/// assert_eq!((a.id.as_str(), a.status.as_str()), ("a", "both"));
/// assert_eq!(a.nodes[tg].delta, Some(0.8 - 0.4));
/// assert_eq!((cmp.counts.old_only, cmp.counts.new_only), (1, 1));
/// # Ok::<(), apertura::Error>(())
/// ```
pub fn compare(
    old_plan: &Plan,
    old_data: &Dataset,
    new_plan: &Plan,
    new_data: &Dataset,
    options: &CompareOptions,
) -> Result<Comparison> {
    let old = old_plan.score(old_data)?;
    let new = new_plan.score(new_data)?;
    let mut notes = Vec::new();
    let backcast = if same_method(old_plan, new_plan) {
        notes.push("both runs use the same method: the whole change is data (no data and method effects)".to_string());
        None
    } else {
        match new_plan.score(&lowest_given(new_plan, old_data)) {
            Ok(b) => Some(b),
            Err(e) => {
                notes.push(format!(
                    "no data and method effects: the old data cannot be scored under {} ({e})",
                    new_plan.edition().id()
                ));
                None
            }
        }
    };
    compare_scores(&old, &new, backcast, new_plan, options, notes)
}

fn compare_scores(
    old: &Scores,
    new: &Scores,
    backcast: Option<Scores>,
    new_plan: &Plan,
    options: &CompareOptions,
    notes: Vec<String>,
) -> Result<Comparison> {
    let pairs = pairs(old, new, options.crosswalk.as_ref())?;
    let mut partners_of_old = vec![0usize; old.len()];
    let mut partners_of_new = vec![0usize; new.len()];
    for &(o, n) in &pairs {
        partners_of_old[o] += 1;
        partners_of_new[n] += 1;
    }
    for &(o, n) in &pairs {
        if partners_of_old[o] > 1 && partners_of_new[n] > 1 {
            return Err(Error::usage(
                "crosswalk_many_to_many",
                format!(
                    "old {:?} is split (into {} units) and new {:?} merges {} units: a crosswalk group \
                     may be a merge or a split, not both (ids not renamed by the crosswalk count as \
                     paired with themselves)",
                    old.institutions[o].id, partners_of_old[o], new.institutions[n].id, partners_of_new[n]
                ),
            ));
        }
    }
    let nodes = compared_nodes(new_plan, old, new);
    let mut notes = notes;
    if nodes.is_empty() {
        notes.push(format!(
            "no node is scored in both runs ({} and {}): only ranks and quadrants are compared",
            old.edition, new.edition
        ));
    }
    let back_idx: Vec<Option<usize>> = nodes
        .iter()
        .map(|(id, _, _)| backcast.as_ref().and_then(|b| b.node_index(id)))
        .collect();
    let intervals = options.intervals.as_ref().map(|iv| {
        let map = |list: &[RankInterval]| -> HashMap<String, (f64, f64)> {
            list.iter().map(|r| (r.id.clone(), (r.low, r.high))).collect()
        };
        (map(&iv.old), map(&iv.new))
    });
    let mut rows = Vec::with_capacity(pairs.len());
    let mut paired_old = vec![false; old.len()];
    let mut paired_new = vec![false; new.len()];
    for &(o, n) in &pairs {
        paired_old[o] = true;
        paired_new[n] = true;
        let status = if partners_of_new[n] > 1 {
            MatchStatus::Merged
        } else if partners_of_old[o] > 1 {
            MatchStatus::Split
        } else {
            MatchStatus::Both
        };
        let changes = nodes
            .iter()
            .zip(&back_idx)
            .map(|(&(_, oj, nj), &bj)| {
                let (ov, nv) = (old.value(o, oj), new.value(n, nj));
                let mut c = NodeChange {
                    old: ov,
                    new: nv,
                    ..Default::default()
                };
                if let (Some(a), Some(b)) = (ov, nv) {
                    c.delta = Some(b - a);
                    let back = bj.and_then(|bj| backcast.as_ref().and_then(|s| s.value(o, bj)));
                    if let Some(k) = back {
                        let data = b - k;
                        let method = (b - a) - data;
                        c.backcast = Some(k);
                        c.data_effect = Some(data);
                        c.method_effect = Some(method);
                        c.delta = Some(data + method);
                    }
                }
                c
            })
            .collect();
        let (rank_old, rank_new) = (rank_of(old, o), rank_of(new, n));
        let (oid, nid) = (&old.institutions[o].id, &new.institutions[n].id);
        let significant = match (&intervals, rank_old, rank_new) {
            (Some((io, inew)), Some(ro), Some(rn)) => match (io.get(oid), inew.get(nid)) {
                (Some(&(olo, ohi)), Some(&(nlo, nhi))) => {
                    let (ro, rn) = (ro as f64, rn as f64);
                    Some((rn < olo || rn > ohi) && (ro < nlo || ro > nhi))
                }
                _ => None,
            },
            _ => None,
        };
        rows.push(InstitutionChange {
            id: nid.clone(),
            old_id: Some(oid.clone()),
            new_id: Some(nid.clone()),
            name: new.institutions[n].name.clone(),
            status,
            rank_old,
            rank_new,
            rank_delta: rank_old.zip(rank_new).map(|(a, b)| b as i64 - a as i64),
            quadrant_old: old.quadrant[o],
            quadrant_new: new.quadrant[n],
            significant,
            nodes: changes,
        });
    }
    let single = |s: &Scores, i: usize, is_old: bool| {
        let x = &s.institutions[i];
        InstitutionChange {
            id: x.id.clone(),
            old_id: is_old.then(|| x.id.clone()),
            new_id: (!is_old).then(|| x.id.clone()),
            name: x.name.clone(),
            status: if is_old {
                MatchStatus::OldOnly
            } else {
                MatchStatus::NewOnly
            },
            rank_old: if is_old { rank_of(s, i) } else { None },
            rank_new: if is_old { None } else { rank_of(s, i) },
            rank_delta: None,
            quadrant_old: if is_old { s.quadrant[i] } else { None },
            quadrant_new: if is_old { None } else { s.quadrant[i] },
            significant: None,
            nodes: nodes
                .iter()
                .map(|&(_, oj, nj)| {
                    let v = s.value(i, if is_old { oj } else { nj });
                    NodeChange {
                        old: if is_old { v } else { None },
                        new: if is_old { None } else { v },
                        ..Default::default()
                    }
                })
                .collect(),
        }
    };
    rows.extend((0..old.len()).filter(|&i| !paired_old[i]).map(|i| single(old, i, true)));
    rows.extend(
        (0..new.len())
            .filter(|&i| !paired_new[i])
            .map(|i| single(new, i, false)),
    );
    rows.sort_by(|a, b| (&a.id, &a.old_id, a.status).cmp(&(&b.id, &b.old_id, b.status)));

    let mut transitions = QuadrantTransitions::default();
    let mut counts = StatusCounts::default();
    for r in &rows {
        match r.status {
            MatchStatus::Both => counts.both += 1,
            MatchStatus::Merged => counts.merged += 1,
            MatchStatus::Split => counts.split += 1,
            MatchStatus::OldOnly => counts.old_only += 1,
            MatchStatus::NewOnly => counts.new_only += 1,
        }
        if r.status.is_matched() {
            transitions.counts[quadrant_index(r.quadrant_old)][quadrant_index(r.quadrant_new)] += 1;
        }
    }

    let (groups, ungrouped) = match &options.by {
        Some(by) => group_changes(by, &rows, nodes.len(), old, new),
        None => (Vec::new(), 0),
    };
    let effects = backcast.is_some();
    Ok(Comparison {
        old_edition: old.edition.clone(),
        new_edition: new.edition.clone(),
        nodes: nodes.into_iter().map(|(id, _, _)| id).collect(),
        institutions: rows,
        transitions,
        counts,
        effects,
        backcast,
        by: options.by.clone(),
        groups,
        ungrouped,
        notes,
    })
}

/// The group of a row: the new institution's, else the old one's.
fn group_key(
    by: &GroupBy,
    r: &InstitutionChange,
    old: &HashMap<&str, &Institution>,
    new: &HashMap<&str, &Institution>,
) -> Option<(String, String)> {
    let from_new = r.new_id.as_deref().and_then(|id| new.get(id)).and_then(|x| by.key(x));
    from_new.or_else(|| r.old_id.as_deref().and_then(|id| old.get(id)).and_then(|x| by.key(x)))
}

fn group_changes(
    by: &GroupBy,
    rows: &[InstitutionChange],
    n_nodes: usize,
    old: &Scores,
    new: &Scores,
) -> (Vec<GroupChange>, usize) {
    let old_inst: HashMap<&str, &Institution> = old.institutions.iter().map(|x| (x.id.as_str(), x)).collect();
    let new_inst: HashMap<&str, &Institution> = new.institutions.iter().map(|x| (x.id.as_str(), x)).collect();
    let mut groups: BTreeMap<String, (String, Vec<usize>)> = BTreeMap::new();
    let mut ungrouped = 0;
    for (k, r) in rows.iter().enumerate() {
        match group_key(by, r, &old_inst, &new_inst) {
            Some((key, label)) => groups.entry(key).or_insert_with(|| (label, Vec::new())).1.push(k),
            None => ungrouped += usize::from(r.status.is_matched()),
        }
    }
    let summarise = |label: String, members: &[usize]| {
        let count = |s: fn(MatchStatus) -> bool| members.iter().filter(|&&k| s(rows[k].status)).count();
        GroupChange {
            group: label,
            n_matched: count(MatchStatus::is_matched),
            n_old_only: count(|s| s == MatchStatus::OldOnly),
            n_new_only: count(|s| s == MatchStatus::NewOnly),
            nodes: (0..n_nodes)
                .map(|j| {
                    let (mut n, mut so, mut sn, mut sd) = (0usize, 0.0, 0.0, 0.0);
                    for &k in members {
                        let c = &rows[k].nodes[j];
                        if let (true, Some(a), Some(b), Some(d)) = (rows[k].status.is_matched(), c.old, c.new, c.delta)
                        {
                            n += 1;
                            so += a;
                            sn += b;
                            sd += d;
                        }
                    }
                    (n > 0).then(|| GroupNodeChange {
                        n,
                        mean_old: so / n as f64,
                        mean_new: sn / n as f64,
                        mean_delta: sd / n as f64,
                    })
                })
                .collect(),
        }
    };
    let mut out: Vec<GroupChange> = groups
        .into_values()
        .map(|(label, members)| summarise(label, &members))
        .collect();
    let all: Vec<usize> = (0..rows.len()).collect();
    out.push(summarise("national".to_string(), &all));
    (out, ungrouped)
}
