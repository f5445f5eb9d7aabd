//! Improvement paths: the exact minimum-cost set of steps that takes one institution to a
//! target (a score of any node, a rank, the national mean or a T x P quadrant), with the
//! other institutions unchanged.
//!
//! # The problem
//! An **action** raises one node by one step of `step` (a share of the node's range: 1/3
//! by default, the grid of the 2017 PG items) up to the top of its range. The nodes that
//! can move are the *lowest given* ones: the items where the data hold items, the
//! perspectives where they hold only perspectives (the published 2017 file). A value off
//! the grid first rises to the next multiple of the step (within
//! [`ImproveOptions::grid_tolerance`], so a 4-decimal `0.3333` counts as 1/3). Each step
//! costs [`NodeCost::cost_per_step`] (1 by default; a cost set on an aggregate applies to
//! every node under it without its own; `inf` freezes a node).
//!
//! # How it is solved
//! Exactly, by dynamic programming over the tree (a covering knapsack generalised to any
//! monotone aggregation): every node gets the **Pareto front** of (cost, value) over the
//! choices of steps below it, built by folding its children in slot order with the very
//! `start`/`add`/`finish`/`Post` arithmetic of the row kernels, so a front's values are the
//! engine's bits. Aggregation and floating-point rounding are both monotone, so dropping a
//! point that costs more and gives no more loses no optimum: the front is exact for
//! weighted means, weighted sums and geometric means alike (no linear shortcut).
//! Not-applicable children are skipped exactly as the kernels skip them (renormalised
//! weights), not-applicable items scored 0 stay 0.
//!
//! **Gates** couple items: an item behind a closed gate scores 0 whatever it is raised to.
//! Each gate is decided at the lowest node holding all its nodes: both states are tried,
//! the gating item's steps restricted to those that open (or keep closed) the gate, and the
//! gated items frozen while it is closed; chained gates follow the edition's order (answer
//! gates first), as the kernels apply them. The fronts of both states are merged. The plan
//! found is then scored by the engine ([`Plan::score`] of the institution with its steps
//! taken), which gives the score and quadrant after and checks the target; the rank after
//! is counted against the others as scored now (competition ranking, the edition's
//! rounding).
//!
//! Tests compare the minimum cost with brute force over every combination of steps, and
//! (Python) with `scipy.optimize.milp` formulated independently.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::analysis::summary::{summary, GroupBy};
use crate::edition::{Aggregation, GateOpensWhen, NotApplicablePolicy};
use crate::error::{Error, Result};
#[cfg(feature = "csv")]
pub use crate::input::costs::read_costs;
pub use crate::input::costs::{parse_cost, NodeCost};
use crate::input::{Cell, Dataset};
use crate::scoring::ranking::rank_key;
use crate::scoring::{Plan, Quadrant, Scores};

/// A score target met within this tolerance counts as reached (so `0.1 + 0.5` reaches
/// `0.6`). Ranks and quadrants use the engine's own comparisons, without tolerance: a
/// path that ties the institution ranked r only in exact arithmetic does not reach r.
pub const TOLERANCE: f64 = 1e-9;

/// Default of [`ImproveOptions::grid_tolerance`]: the published 2017 file rounds to 4
/// decimals, so a value within 1e-4 of a multiple of the step is on the grid.
pub const DEFAULT_GRID_TOLERANCE: f64 = 1e-4;

/// Default of [`ImproveOptions::max_points`].
pub const DEFAULT_MAX_POINTS: usize = 20_000_000;

/// What the institution should reach.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Target {
    /// A score of the target node (the index unless [`ImproveOptions::node`] names one).
    Score(f64),
    /// A rank on the target node: the score of the institution now ranked `r` (among the
    /// others; a tie counts as reached; the index is ranked on the edition's rounding).
    Rank(u32),
    /// The national mean of the target node now (per the `national_mean` setting).
    Mean,
    /// A T x P quadrant (the root's two children). An axis that must stay low is frozen.
    Quadrant(Quadrant),
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Target::Score(x) => write!(f, "score {x}"),
            Target::Rank(r) => write!(f, "rank {r}"),
            Target::Mean => write!(f, "national mean"),
            Target::Quadrant(q) => write!(f, "quadrant {}", q.as_str()),
        }
    }
}

/// What to improve and how.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImproveOptions {
    /// The target.
    pub target: Target,
    /// The node whose score or rank is targeted (default: the index). Not with quadrants.
    #[serde(default)]
    pub node: Option<String>,
    /// One step as a share of a node's range, in (0, 1]; default 1/3.
    pub step: f64,
    /// Costs per step (default 1 for every node).
    #[serde(default)]
    pub costs: Vec<NodeCost>,
    /// Name of the costs file, for errors.
    #[serde(default)]
    pub costs_source: Option<String>,
    /// A value within this distance of a multiple of the step counts as on it.
    pub grid_tolerance: f64,
    /// Largest number of (cost, value) pairs the search may combine; beyond it the search
    /// stops with a `search_limit` error rather than answer inexactly.
    pub max_points: usize,
}

impl ImproveOptions {
    /// The defaults for a target: the index, steps of 1/3, every step costs 1.
    pub fn new(target: Target) -> ImproveOptions {
        ImproveOptions {
            target,
            node: None,
            step: 1.0 / 3.0,
            costs: Vec::new(),
            costs_source: None,
            grid_tolerance: DEFAULT_GRID_TOLERANCE,
            max_points: DEFAULT_MAX_POINTS,
        }
    }
}

/// Parses a step written as a decimal (`0.25`) or a fraction (`1/3`); it must lie in (0, 1].
pub fn parse_step(text: &str) -> Result<f64> {
    let t = text.trim();
    let bad = || {
        Error::usage(
            "invalid_step",
            format!("step {t:?}: write a number in (0, 1] as a decimal (0.25) or a fraction (1/3)"),
        )
    };
    let v = match t.split_once('/') {
        Some((a, b)) => {
            let a: f64 = a.trim().parse().map_err(|_| bad())?;
            let b: f64 = b.trim().parse().map_err(|_| bad())?;
            a / b
        }
        None => t.parse().map_err(|_| bad())?,
    };
    if !(v.is_finite() && v > 0.0 && v <= 1.0) {
        return Err(bad());
    }
    Ok(v)
}

/// One action of a path: a node raised by some steps.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Action {
    /// Node id.
    pub node: String,
    /// Value now.
    pub from: f64,
    /// Value after.
    pub to: f64,
    /// Steps taken.
    pub steps: u32,
    /// Their cost.
    pub cost: f64,
    /// Gain in the target node (the index for quadrant targets) when the actions are taken
    /// in the listed order: each action's gain given the ones above it, so the gains add
    /// up to the total gain. The order is greedy: largest gain first.
    pub gain: f64,
}

/// The cheapest path of one institution to a target.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Improvement {
    /// Institution id.
    pub institution: String,
    /// Institution name.
    pub name: String,
    /// The target as asked.
    pub target: Target,
    /// The node whose score is targeted (the index for quadrant targets).
    pub target_node: String,
    /// The score the target node must reach (score, rank and mean targets), or the
    /// quadrant split.
    pub required: f64,
    /// Whether the target can be reached.
    pub feasible: bool,
    /// Why not, when it cannot.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Minimum total cost (0 if already there; infinite if infeasible).
    pub cost: f64,
    /// Score of the target node now.
    pub score_before: f64,
    /// Score of the target node after the actions, scored by the engine.
    pub score_after: f64,
    /// Rank of the index now (0: none).
    pub rank_before: u32,
    /// Rank of the index after, the others unchanged.
    pub rank_after: u32,
    /// Quadrant now.
    pub quadrant_before: Option<Quadrant>,
    /// Quadrant after.
    pub quadrant_after: Option<Quadrant>,
    /// The actions, largest gain first.
    pub actions: Vec<Action>,
}

/// One point of the cost-score Pareto front.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FrontierPoint {
    /// Minimum cost of reaching `score`.
    pub cost: f64,
    /// The highest score of the target node for that cost.
    pub score: f64,
    /// The actions (gains as in [`Action::gain`]).
    pub actions: Vec<Action>,
}

// ------------------------------------------------------------------------------------
// The model of one institution

/// How a node of the tree enters one institution's model.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    /// A lowest given node: raised by steps.
    Movable,
    /// Known but not movable (not applicable scored 0).
    Fixed,
    /// Aggregated from its children.
    Computed,
    /// Not applicable under renormalisation: skipped by its parent.
    Excluded,
    /// Neither given nor computable.
    Unknown,
}

/// When a gate is open, given the gating node's raw value and steps.
#[derive(Clone, Copy, Debug)]
enum Opens {
    Value(GateOpensWhen),
    /// A gate on answers: open unless the answer closes it and the node is not raised.
    Answer {
        closed_now: bool,
    },
}

#[derive(Clone, Debug)]
struct Gate {
    when: usize,
    opens: Opens,
    gated: Vec<usize>,
    /// The lowest node holding all its nodes.
    owner: usize,
}

/// One choice of a movable node: steps, raw value, cost.
#[derive(Clone, Copy, Debug)]
struct Choice {
    steps: u32,
    value: f64,
    cost: f64,
}

/// The choices behind a point of a front, shared between fronts.
#[derive(Debug)]
enum Picks {
    One(u32, u32),
    Both(Arc<Picks>, Arc<Picks>),
}

type PickList = Option<Arc<Picks>>;

fn join(a: &PickList, b: &PickList) -> PickList {
    match (a, b) {
        (None, x) | (x, None) => x.clone(),
        (Some(a), Some(b)) => Some(Arc::new(Picks::Both(a.clone(), b.clone()))),
    }
}

fn collect_picks(p: &PickList, out: &mut Vec<(usize, usize)>) {
    let mut stack: Vec<&Arc<Picks>> = p.iter().collect();
    while let Some(x) = stack.pop() {
        match &**x {
            Picks::One(node, k) => out.push((*node as usize, *k as usize)),
            Picks::Both(a, b) => {
                stack.push(a);
                stack.push(b);
            }
        }
    }
}

#[derive(Clone, Debug)]
struct Point {
    cost: f64,
    /// The accumulator while folding children, the node value once finished.
    value: f64,
    picks: PickList,
}

/// Keeps the points no other point dominates (cost ascending, value strictly rising).
fn pareto(mut pts: Vec<Point>) -> Vec<Point> {
    pts.sort_by(|a, b| a.cost.total_cmp(&b.cost).then(b.value.total_cmp(&a.value)));
    let mut out: Vec<Point> = Vec::with_capacity(pts.len().min(1024));
    for p in pts {
        if out.last().is_none_or(|l| p.value > l.value) {
            out.push(p);
        }
    }
    out
}

struct Model<'a> {
    plan: &'a Plan,
    kind: Vec<Kind>,
    /// Raw value of known nodes (movable and fixed), as in the data.
    raw: Vec<f64>,
    /// Choices of every movable node (the first is "no step").
    choices: Vec<Vec<Choice>>,
    gates: Vec<Gate>,
    /// Gates each node takes part in (as gating or gated node).
    touches: Vec<Vec<usize>>,
    /// Nodes whose subtree no steps may change (an axis that must stay low).
    frozen: Vec<bool>,
    /// Every node whose given value is dropped so that it is recomputed after steps.
    given_computed: Vec<usize>,
    /// Tree depth, for lowest common ancestors.
    depth: Vec<usize>,
    points: std::cell::Cell<usize>,
    max_points: usize,
}

impl Model<'_> {
    fn tree(&self) -> &crate::edition::tree::Tree {
        &self.plan.edition().tree
    }

    fn lca(&self, mut a: usize, mut b: usize) -> usize {
        let t = self.tree();
        while self.depth[a] > self.depth[b] {
            a = t.parent[a].unwrap_or(a);
        }
        while self.depth[b] > self.depth[a] {
            b = t.parent[b].unwrap_or(b);
        }
        while a != b {
            a = t.parent[a].unwrap_or(a);
            b = t.parent[b].unwrap_or(b);
        }
        a
    }

    fn in_subtree(&self, mut x: usize, root: usize) -> bool {
        let t = self.tree();
        loop {
            if x == root {
                return true;
            }
            match t.parent[x] {
                Some(p) => x = p,
                None => return false,
            }
        }
    }

    /// Whether gate `g` is open for gating-node choice `c`.
    fn opens(&self, g: usize, c: &Choice, effective: f64) -> bool {
        match self.gates[g].opens {
            Opens::Value(GateOpensWhen::Positive) => effective > 0.0,
            Opens::Value(GateOpensWhen::Full) => effective >= 1.0,
            Opens::Answer { closed_now } => c.steps > 0 || !closed_now,
        }
    }

    /// The choices of movable node `x` consistent with the gate states in `state`, each
    /// with the value its parent sees (0 behind a closed gate).
    fn leaf_front(&self, x: usize, state: &[Option<bool>]) -> Vec<Point> {
        let frozen = self.frozen[x];
        let mut closed_by: Vec<usize> = Vec::new(); // closed gates gating x, in gate order
        for &g in &self.touches[x] {
            if self.gates[g].gated.contains(&x) && state[g] == Some(false) {
                closed_by.push(g);
            }
        }
        let mut out = Vec::new();
        for (k, c) in self.choices[x].iter().enumerate() {
            if k > 0 && (frozen || !closed_by.is_empty()) {
                break;
            }
            // Every gate x opens must be in the state asked.
            let ok = self.touches[x].iter().all(|&g| {
                if self.gates[g].when != x {
                    return true;
                }
                let Some(open) = state[g] else { return true };
                // Its value as gate g reads it: 0 if an earlier gate closed it.
                let effective = if closed_by.iter().any(|&h| h < g) { 0.0 } else { c.value };
                self.opens(g, c, effective) == open
            });
            if !ok {
                continue;
            }
            let seen = if closed_by.is_empty() { c.value } else { 0.0 };
            let picks = (k > 0).then(|| Arc::new(Picks::One(x as u32, k as u32)));
            out.push(Point {
                cost: c.cost,
                value: seen,
                picks,
            });
        }
        pareto(out)
    }

    /// The Pareto front of node `j` under the gate states decided above it.
    fn front(&self, j: usize, state: &mut Vec<Option<bool>>) -> Result<Vec<Point>> {
        match self.kind[j] {
            Kind::Movable | Kind::Fixed => return Ok(self.leaf_front(j, state)),
            Kind::Computed => {}
            Kind::Excluded | Kind::Unknown => unreachable!("only known nodes are folded"),
        }
        let owned: Vec<usize> = (0..self.gates.len())
            .filter(|&g| self.gates[g].owner == j && state[g].is_none())
            .collect();
        let mut all = Vec::new();
        for config in 0..(1u32 << owned.len()) {
            for (b, &g) in owned.iter().enumerate() {
                state[g] = Some(config & (1 << b) != 0);
            }
            all.extend(self.fold(j, state)?);
        }
        for &g in &owned {
            state[g] = None;
        }
        Ok(if owned.is_empty() { all } else { pareto(all) })
    }

    /// Node `j` from its children's fronts: the kernels' arithmetic, children in order.
    fn fold(&self, j: usize, state: &mut Vec<Option<bool>>) -> Result<Vec<Point>> {
        let t = self.tree();
        let agg: Aggregation = self.plan.aggregations()[j];
        let shift = self.plan.geometric_shift();
        let weights = self.plan.weights();
        let mut acc = vec![Point {
            cost: 0.0,
            value: agg.start(),
            picks: None,
        }];
        let mut wsum = 0.0;
        let slots = t.child_start[j]..t.child_start[j + 1];
        for (&c, &w) in t.child[slots.clone()].iter().zip(&weights[slots]) {
            if self.kind[c] == Kind::Excluded {
                continue;
            }
            wsum += w;
            let child = self.front(c, state)?;
            let pairs = acc.len() * child.len();
            let total = self.points.get() + pairs;
            if total > self.max_points {
                return Err(Error::usage(
                    "search_limit",
                    format!(
                        "improve: more than {} (cost, score) pairs under {:?}; raise the step, freeze nodes (cost inf) or raise max_points",
                        self.max_points, t.ids[j]
                    ),
                ));
            }
            self.points.set(total);
            let mut next = Vec::with_capacity(pairs);
            for a in &acc {
                for b in &child {
                    next.push(Point {
                        cost: a.cost + b.cost,
                        value: agg.add(a.value, w, b.value, shift),
                        picks: join(&a.picks, &b.picks),
                    });
                }
            }
            acc = pareto(next);
        }
        let post = t.post[j];
        for p in &mut acc {
            p.value = post.apply(agg.finish(p.value, wsum, shift));
        }
        Ok(pareto(acc))
    }
}

/// One institution's improvement problem, built once and solved for any target.
struct Problem<'a> {
    model: Model<'a>,
    data: &'a Dataset,
    pos: usize,
    /// Column of each node in `data` (the first that names it).
    column_of: Vec<Option<usize>>,
}

fn resolve_columns(plan: &Plan, data: &Dataset) -> Vec<Option<usize>> {
    let n = plan.edition().tree.ids.len();
    let mut column_of = vec![None; n];
    for (c, col) in data.columns.iter().enumerate() {
        if let Some(j) = plan.edition().resolve_column(&col.header) {
            if column_of[j].is_none() {
                column_of[j] = Some(c);
            }
        }
    }
    column_of
}

fn node_of(plan: &Plan, id: &str) -> Result<usize> {
    let e = plan.edition();
    e.node_index(id)
        .or_else(|| e.resolve_column(id))
        .ok_or_else(|| Error::usage("unknown_node", format!("edition {:?} has no node {id:?}", e.id())))
}

impl<'a> Problem<'a> {
    fn new(
        plan: &'a Plan,
        data: &'a Dataset,
        column_of: Vec<Option<usize>>,
        pos: usize,
        options: &ImproveOptions,
    ) -> Result<Problem<'a>> {
        let t = &plan.edition().tree;
        let n = t.ids.len();
        if let Some(j) = (0..n).find(|&j| t.post[j].min_max.is_some()) {
            return Err(Error::usage(
                "unsupported",
                format!(
                    "improve: edition {:?} rescales {:?} over the population (min-max), so a path with the others unchanged is not defined",
                    plan.edition().id(),
                    t.ids[j]
                ),
            ));
        }
        if !(options.step.is_finite() && options.step > 0.0 && options.step <= 1.0) {
            return Err(Error::usage(
                "invalid_step",
                format!("step {} is not in (0, 1]", options.step),
            ));
        }
        if !(options.grid_tolerance.is_finite() && options.grid_tolerance >= 0.0) {
            return Err(Error::usage(
                "invalid_option",
                format!("grid_tolerance {} must be a number at least 0", options.grid_tolerance),
            ));
        }
        let renorm = plan.settings().not_applicable == NotApplicablePolicy::Renormalize;
        let cell = |j: usize| column_of[j].map_or(Cell::Missing, |c| data.columns[c].cells[pos]);
        // Kinds, children first (post-order ids).
        let mut kind = vec![Kind::Unknown; n];
        let mut raw = vec![0.0; n];
        let mut given_computed = Vec::new();
        for j in 0..n {
            let c = cell(j);
            if t.is_leaf[j] {
                kind[j] = match c {
                    Cell::Value(v) => {
                        raw[j] = v;
                        Kind::Movable
                    }
                    Cell::NotApplicable if renorm => Kind::Excluded,
                    Cell::NotApplicable => Kind::Fixed,
                    Cell::Missing => Kind::Unknown,
                };
                continue;
            }
            let kids = &t.child[t.child_start[j]..t.child_start[j + 1]];
            let all_known = kids.iter().all(|&k| kind[k] != Kind::Unknown);
            let any_included = kids
                .iter()
                .any(|&k| matches!(kind[k], Kind::Movable | Kind::Fixed | Kind::Computed));
            kind[j] = match c {
                Cell::NotApplicable if renorm => Kind::Excluded,
                Cell::NotApplicable => Kind::Fixed,
                Cell::Value(v) if all_known && any_included => {
                    given_computed.push(j);
                    raw[j] = v;
                    Kind::Computed
                }
                Cell::Value(v) => {
                    raw[j] = v;
                    Kind::Movable
                }
                Cell::Missing if all_known && any_included => Kind::Computed,
                Cell::Missing if all_known => Kind::Excluded,
                Cell::Missing => Kind::Unknown,
            };
        }
        // A movable aggregate hides whatever is given below it: nothing there moves.
        for j in 0..n {
            if kind[j] == Kind::Movable && !t.is_leaf[j] {
                let mut stack: Vec<usize> = t.child[t.child_start[j]..t.child_start[j + 1]].to_vec();
                while let Some(x) = stack.pop() {
                    kind[x] = Kind::Unknown;
                    stack.extend_from_slice(&t.child[t.child_start[x]..t.child_start[x + 1]]);
                }
            }
        }
        let mut depth = vec![0; n];
        for j in (0..n).rev() {
            if let Some(p) = t.parent[j] {
                depth[j] = depth[p] + 1;
            }
        }
        // Costs: the node's own, else its nearest ancestor's, else 1.
        let mut own_cost: Vec<Option<f64>> = vec![None; n];
        let src = options
            .costs_source
            .as_deref()
            .map(|s| format!("{s}: "))
            .unwrap_or_default();
        for c in &options.costs {
            let at = c.row.map(|r| format!(" (row {r})")).unwrap_or_default();
            let j = node_of(plan, &c.node).map_err(|_| {
                Error::usage(
                    "unknown_node",
                    format!(
                        "{src}cost for {:?}{at}: edition {:?} has no such node",
                        c.node,
                        plan.edition().id()
                    ),
                )
            })?;
            let v = c.cost_per_step;
            if v.is_nan() || v < 0.0 || v == f64::NEG_INFINITY {
                return Err(Error::usage(
                    "invalid_cost",
                    format!(
                        "{src}cost for {:?}{at} is {v}: a cost per step is a number at least 0, or inf to freeze",
                        c.node
                    ),
                ));
            }
            own_cost[j] = Some(v);
        }
        let cost_of = |mut j: usize| loop {
            if let Some(c) = own_cost[j] {
                return c;
            }
            match t.parent[j] {
                Some(p) => j = p,
                None => return 1.0,
            }
        };
        // Choices: now, then every step to the top of the range.
        let mut choices = vec![Vec::new(); n];
        for j in 0..n {
            if kind[j] == Kind::Fixed {
                choices[j] = vec![Choice {
                    steps: 0,
                    value: raw[j],
                    cost: 0.0,
                }];
            }
            if kind[j] != Kind::Movable {
                continue;
            }
            let (lo, hi) = (t.post[j].lo, t.post[j].hi);
            let x = raw[j];
            let mut list = vec![Choice {
                steps: 0,
                value: x,
                cost: 0.0,
            }];
            let cost = cost_of(j);
            if hi.is_finite() && lo.is_finite() && hi > lo && cost.is_finite() {
                let unit = options.step * (hi - lo);
                let grid = ((hi - lo) / unit - 1e-9).ceil() as u64; // steps from lo to hi
                let p = (x - lo) / unit;
                let near = p.round();
                let at = if ((p - near) * unit).abs() <= options.grid_tolerance {
                    near
                } else {
                    p.floor()
                };
                let mut k = 1u64;
                let mut m = at as u64 + 1;
                while m <= grid && x < hi - options.grid_tolerance {
                    let v = if m == grid { hi } else { (lo + m as f64 * unit).min(hi) };
                    list.push(Choice {
                        steps: k as u32,
                        value: v,
                        cost: cost * k as f64,
                    });
                    k += 1;
                    m += 1;
                }
            }
            choices[j] = list;
        }
        // Gates (answers first, then values, as the kernels apply them), where their
        // gating node is known.
        let mut gates = Vec::new();
        let known = |j: usize| matches!(kind[j], Kind::Movable | Kind::Fixed);
        for g in &t.answer_gates {
            let Some(c) = column_of[g.when] else { continue };
            let code = data.columns[c].answers.as_ref().and_then(|a| a[pos]);
            let Some(code) = code else { continue };
            if !known(g.when) {
                continue;
            }
            gates.push(Gate {
                when: g.when,
                opens: Opens::Answer {
                    closed_now: g.closes_on.contains(&code),
                },
                gated: g.gated.iter().copied().filter(|&x| known(x)).collect(),
                owner: 0,
            });
        }
        for (when, opens, gated, _) in &t.gates {
            if !known(*when) {
                continue;
            }
            gates.push(Gate {
                when: *when,
                opens: Opens::Value(*opens),
                gated: gated.iter().copied().filter(|&x| known(x)).collect(),
                owner: 0,
            });
        }
        gates.retain(|g| !g.gated.is_empty());
        let mut touches = vec![Vec::new(); n];
        for (i, g) in gates.iter().enumerate() {
            touches[g.when].push(i);
            for &x in &g.gated {
                touches[x].push(i);
            }
        }
        let mut model = Model {
            plan,
            kind,
            raw,
            choices,
            gates,
            touches,
            frozen: vec![false; n],
            given_computed,
            depth,
            points: std::cell::Cell::new(0),
            max_points: options.max_points,
        };
        for i in 0..model.gates.len() {
            let g = &model.gates[i];
            let owner = g.gated.iter().fold(g.when, |a, &x| model.lca(a, x));
            model.gates[i].owner = owner;
        }
        Ok(Problem {
            model,
            data,
            pos,
            column_of,
        })
    }

    fn tree(&self) -> &crate::edition::tree::Tree {
        self.model.tree()
    }

    /// The front of constraint node `x`: gates that reach into its subtree from outside
    /// are decided here, their gating nodes outside costed at their cheapest choice.
    fn constrained_front(&self, x: usize) -> Result<Vec<Point>> {
        let m = &self.model;
        let n_g = m.gates.len();
        // Gates touching x's subtree but owned above it, closed over gating nodes outside.
        let mut crossing: Vec<usize> = Vec::new();
        let mut outside: Vec<usize> = Vec::new();
        let mut changed = true;
        while changed {
            changed = false;
            for g in 0..n_g {
                if crossing.contains(&g) || m.in_subtree(m.gates[g].owner, x) {
                    continue;
                }
                let gate = &m.gates[g];
                let reaches = std::iter::once(gate.when)
                    .chain(gate.gated.iter().copied())
                    .any(|y| m.in_subtree(y, x) || outside.contains(&y));
                if reaches {
                    crossing.push(g);
                    changed = true;
                    for y in std::iter::once(gate.when).chain(gate.gated.iter().copied()) {
                        if !m.in_subtree(y, x) && !outside.contains(&y) && m.kind[y] == Kind::Movable {
                            outside.push(y);
                        }
                    }
                }
            }
        }
        if m.kind[x] != Kind::Computed && m.kind[x] != Kind::Movable && m.kind[x] != Kind::Fixed {
            return Err(Error::usage(
                "no_value",
                format!(
                    "{:?} has no value for this institution, so it cannot be improved",
                    self.tree().ids[x]
                ),
            ));
        }
        let mut state = vec![None; n_g];
        let mut all = Vec::new();
        for config in 0..(1u32 << crossing.len()) {
            for (b, &g) in crossing.iter().enumerate() {
                state[g] = Some(config & (1 << b) != 0);
            }
            // Gating nodes outside: the cheapest choice consistent with the states.
            let mut extra = 0.0;
            let mut picks: PickList = None;
            let mut feasible = true;
            for &y in &outside {
                match m.leaf_front(y, &state).into_iter().next() {
                    Some(p) => {
                        extra += p.cost;
                        picks = join(&picks, &p.picks);
                    }
                    None => feasible = false,
                }
            }
            if !feasible {
                continue;
            }
            for p in m.front(x, &mut state)? {
                all.push(Point {
                    cost: p.cost + extra,
                    value: p.value,
                    picks: join(&p.picks, &picks),
                });
            }
        }
        Ok(pareto(all))
    }

    /// Scores institution `pos` alone with the given steps (for the gains); `None` when
    /// these steps alone break a gate (`gates = error`: an item raised before its gate).
    fn score_one(&self, one: &Dataset, picks: &[(usize, usize)], node: usize) -> Result<Option<f64>> {
        let mut d = one.clone();
        for &(j, k) in picks {
            if let Some(c) = self.column_of[j] {
                d.columns[c].cells[0] = Cell::Value(self.model.choices[j][k].value);
                if let Some(a) = d.columns[c].answers.as_mut() {
                    a[0] = None;
                }
            }
        }
        match self.model.plan.score(&d) {
            Ok(s) => Ok(s.value(0, node)),
            Err(Error::Input(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// The institution alone, its given aggregates above movable nodes dropped (they are
    /// recomputed after steps). Scoring one institution needs nobody else: min-max
    /// editions are refused, and ranks are counted against the others' scores.
    fn alone(&self) -> Result<Dataset> {
        let mut one = Dataset::new(vec![self.data.institutions[self.pos].clone()]);
        one.source = self.data.source.clone();
        for c in &self.data.columns {
            let mut cell = c.cells[self.pos];
            if let Some(j) = self.model.plan.edition().resolve_column(&c.header) {
                if self.model.given_computed.contains(&j) {
                    cell = Cell::Missing;
                }
            }
            one.push_column(c.header.clone(), vec![cell])?;
            if let (Some(a), Some(last)) = (&c.answers, one.columns.last_mut()) {
                last.answers = Some(vec![a[self.pos]]);
            }
        }
        Ok(one)
    }

    /// The actions of a pick list, with greedy sequential gains in `node`.
    fn actions(&self, picks: &[(usize, usize)], node: usize) -> Result<Vec<Action>> {
        let t = self.tree();
        let one = self.alone()?;
        let mut done: Vec<(usize, usize)> = Vec::new();
        let mut left: Vec<(usize, usize)> = picks.to_vec();
        left.sort_unstable();
        let no_value = || Error::usage("no_value", format!("{:?} has no value after the steps", t.ids[node]));
        let mut current = self.score_one(&one, &done, node)?.ok_or_else(no_value)?;
        let mut out = Vec::new();
        while !left.is_empty() {
            // The largest gain among the steps allowed now (gates opened first).
            let mut best: Option<(usize, f64)> = None;
            for (i, &p) in left.iter().enumerate() {
                done.push(p);
                let v = self.score_one(&one, &done, node)?;
                done.pop();
                if let Some(v) = v {
                    if best.is_none_or(|(_, b)| v > b) {
                        best = Some((i, v));
                    }
                }
            }
            let (i, v) = best.ok_or_else(no_value)?;
            let (j, k) = left.remove(i);
            done.push((j, k));
            let c = self.model.choices[j][k];
            out.push(Action {
                node: t.ids[j].clone(),
                from: self.model.raw[j],
                to: c.value,
                steps: c.steps,
                cost: c.cost,
                gain: v - current,
            });
            current = v;
        }
        Ok(out)
    }
}

/// What the target means for one institution: the constraint nodes and tests.
struct Goal {
    /// (node, test on its value) pairs that must all hold.
    tests: Vec<(usize, Test)>,
    /// The node whose score is reported.
    node: usize,
    required: f64,
    /// Axes frozen (quadrant targets).
    frozen: Vec<usize>,
}

#[derive(Clone, Copy, Debug)]
enum Test {
    AtLeast(f64),
    /// Ranked on the root's rounding: `rank_key(v) >= key`.
    RankKey(f64, Option<u8>),
    Above(f64),
    AtMost(f64),
}

impl Test {
    fn holds(self, v: f64) -> bool {
        match self {
            Test::AtLeast(x) => v >= x - TOLERANCE,
            // Exactly as the engine ranks: a tie is equal keys, to the last bit.
            Test::RankKey(key, digits) => rank_key(v, digits) >= key,
            Test::Above(x) => v > x,
            Test::AtMost(x) => v <= x,
        }
    }
}

fn goal(plan: &Plan, scores: &Scores, national: &National, pos: usize, options: &ImproveOptions) -> Result<Goal> {
    let t = &plan.edition().tree;
    let node = match &options.node {
        Some(id) => node_of(plan, id)?,
        None => t.root,
    };
    let unreachable = |msg: String| Error::usage("unreachable_target", msg);
    match options.target {
        Target::Score(x) => {
            if !x.is_finite() {
                return Err(Error::usage(
                    "invalid_target",
                    format!("target score {x} is not a number"),
                ));
            }
            if x > t.post[node].hi + TOLERANCE {
                return Err(unreachable(format!(
                    "target score {x} is above the top of {:?}'s range ({})",
                    t.ids[node], t.post[node].hi
                )));
            }
            Ok(Goal {
                tests: vec![(node, Test::AtLeast(x))],
                node,
                required: x,
                frozen: vec![],
            })
        }
        Target::Mean => {
            let s = national.get_or_init(|| summary(plan, scores, &GroupBy::Jurisdiction));
            let mean = s
                .national()
                .get(&t.ids[node])
                .map(|st| st.mean)
                .ok_or_else(|| unreachable(format!("no institution has a value for {:?}", t.ids[node])))?;
            Ok(Goal {
                tests: vec![(node, Test::AtLeast(mean))],
                node,
                required: mean,
                frozen: vec![],
            })
        }
        Target::Rank(r) => {
            let digits = (node == t.root).then_some(t.round_digits).flatten();
            let mut others: Vec<f64> = (0..scores.len())
                .filter(|&i| i != pos)
                .filter_map(|i| scores.value(i, node))
                .map(|v| rank_key(v, digits))
                .collect();
            if r == 0 || r as usize > others.len() + 1 {
                return Err(Error::usage(
                    "invalid_target",
                    format!("rank {r}: ranks run from 1 to {} in these data", others.len() + 1),
                ));
            }
            others.sort_by(|a, b| b.total_cmp(a));
            if r as usize == others.len() + 1 {
                // Last place: reached by anyone.
                return Ok(Goal {
                    tests: vec![],
                    node,
                    required: f64::NEG_INFINITY,
                    frozen: vec![],
                });
            }
            let key = others[r as usize - 1];
            Ok(Goal {
                tests: vec![(node, Test::RankKey(key, digits))],
                node,
                required: key,
                frozen: vec![],
            })
        }
        Target::Quadrant(q) => {
            if options.node.is_some() {
                return Err(Error::usage(
                    "invalid_target",
                    "a quadrant target is on the index's two axes: do not name a target node",
                ));
            }
            let r = t.root;
            let kids = &t.child[t.child_start[r]..t.child_start[r + 1]];
            if kids.len() != 2 {
                return Err(Error::usage(
                    "unsupported",
                    format!(
                        "edition {:?} has no T x P quadrants (its root has {} children)",
                        plan.edition().id(),
                        kids.len()
                    ),
                ));
            }
            let split = plan.settings().quadrant_split;
            let (hi_t, hi_p) = match q {
                Quadrant::I => (true, false),
                Quadrant::II => (true, true),
                Quadrant::III => (false, false),
                Quadrant::IV => (false, true),
            };
            let mut tests = Vec::new();
            let mut frozen = Vec::new();
            for (axis, high) in [(kids[0], hi_t), (kids[1], hi_p)] {
                if high {
                    tests.push((axis, Test::Above(split)));
                } else {
                    let now = scores.value(pos, axis).unwrap_or(f64::NAN);
                    if now > split {
                        return Err(unreachable(format!(
                            "quadrant {} needs {:?} at most {split}, but it is {now} and steps only raise scores",
                            q.as_str(),
                            t.ids[axis]
                        )));
                    }
                    tests.push((axis, Test::AtMost(split)));
                    frozen.push(axis);
                }
            }
            Ok(Goal {
                tests,
                node: r,
                required: split,
                frozen,
            })
        }
    }
}

fn institution_position(data: &Dataset, id: &str) -> Result<usize> {
    data.institutions
        .iter()
        .position(|x| x.id == id)
        .ok_or_else(|| Error::usage("unknown_institution", format!("no institution with id {id:?}")))
}

/// The cheapest path of institution `institution` to `options.target`, the others
/// unchanged. An unreachable target is an `unreachable_target` error with the reason.
pub fn improve(plan: &Plan, data: &Dataset, institution: &str, options: &ImproveOptions) -> Result<Improvement> {
    let pos = institution_position(data, institution)?;
    let scores = plan.score(data)?;
    let column_of = resolve_columns(plan, data);
    let r = solve(plan, data, &scores, &National::new(), &column_of, pos, options, true)?;
    if !r.feasible {
        return Err(Error::usage(
            "unreachable_target",
            format!("{institution:?}: {}", r.reason.clone().unwrap_or_default()),
        ));
    }
    Ok(r)
}

/// [`improve`] for every institution: one row each, an unreachable target as a row with
/// `feasible = false` and the reason (other errors, such as an unknown node, stop).
/// Actions carry no gains here (0): ask [`improve`] for one institution's gains.
pub fn improve_all(plan: &Plan, data: &Dataset, options: &ImproveOptions) -> Result<Vec<Improvement>> {
    let scores = plan.score(data)?;
    let column_of = resolve_columns(plan, data);
    let national = National::new();
    (0..data.len())
        .map(|pos| solve(plan, data, &scores, &national, &column_of, pos, options, false))
        .collect()
}

/// The Pareto front of cost against the target node's score for one institution, from
/// doing nothing to the highest score it can reach, each point with its actions. Only
/// for score, rank and mean targets' node (the target value itself is not used).
pub fn frontier(
    plan: &Plan,
    data: &Dataset,
    institution: &str,
    options: &ImproveOptions,
) -> Result<Vec<FrontierPoint>> {
    let pos = institution_position(data, institution)?;
    if matches!(options.target, Target::Quadrant(_)) {
        return Err(Error::usage(
            "invalid_target",
            "a frontier is of one node's score: use a score, rank or mean target",
        ));
    }
    let scores = plan.score(data)?;
    let column_of = resolve_columns(plan, data);
    let g = goal(plan, &scores, &National::new(), pos, options)?;
    let p = Problem::new(plan, data, column_of, pos, options)?;
    let front = p.constrained_front(g.node)?;
    let mut out = Vec::with_capacity(front.len());
    for pt in &front {
        let mut picks = Vec::new();
        collect_picks(&pt.picks, &mut picks);
        out.push(FrontierPoint {
            cost: pt.cost,
            score: pt.value,
            actions: p.actions(&picks, g.node)?,
        });
    }
    Ok(out)
}

/// The national summary, computed once per run (mean targets).
type National = std::cell::OnceCell<crate::analysis::summary::Summary>;

#[allow(clippy::too_many_arguments)]
fn solve(
    plan: &Plan,
    data: &Dataset,
    scores: &Scores,
    national: &National,
    column_of: &[Option<usize>],
    pos: usize,
    options: &ImproveOptions,
    gains: bool,
) -> Result<Improvement> {
    let t = &plan.edition().tree;
    let inst = &data.institutions[pos];
    let g = goal(plan, scores, national, pos, options);
    let g = match g {
        Ok(g) => g,
        Err(Error::Usage {
            code: "unreachable_target",
            message,
        }) if !gains => {
            return Ok(infeasible(plan, scores, pos, options, t.root, f64::NAN, message));
        }
        Err(e) => return Err(e),
    };
    let mut result = unchanged(plan, scores, pos, options, g.node, g.required);
    // Already there, as scored now.
    let now_ok = g
        .tests
        .iter()
        .all(|&(x, test)| scores.value(pos, x).is_some_and(|v| test.holds(v)));
    if now_ok {
        return Ok(result);
    }
    let mut p = Problem::new(plan, data, column_of.to_vec(), pos, options)?;
    for &a in &g.frozen {
        let n = t.ids.len();
        for j in 0..n {
            if p.model.in_subtree(j, a) {
                p.model.frozen[j] = true;
            }
        }
    }
    // The cheapest point meeting each test, on disjoint axes: costs add.
    let mut picks: Vec<(usize, usize)> = Vec::new();
    let mut cost = 0.0;
    for &(x, test) in &g.tests {
        if let Test::AtMost(_) = test {
            continue; // frozen: holds now and stays
        }
        let front = p.constrained_front(x)?;
        match front.iter().find(|pt| test.holds(pt.value)) {
            Some(pt) => {
                cost += pt.cost;
                collect_picks(&pt.picks, &mut picks);
            }
            None => {
                let best = front.last().map(|pt| pt.value).unwrap_or(f64::NAN);
                let movable = front.len() > 1;
                let why = if !movable {
                    format!(
                        "nothing under {:?} can rise: every node is at the top of its range, frozen or not given",
                        t.ids[x]
                    )
                } else {
                    format!(
                        "raising every node under {:?} as far as it goes gives {best}, short of the target ({})",
                        t.ids[x], options.target
                    )
                };
                if gains {
                    return Err(Error::usage("unreachable_target", format!("{:?}: {why}", inst.id)));
                }
                return Ok(infeasible(plan, scores, pos, options, g.node, g.required, why));
            }
        }
    }
    picks.sort_unstable();
    picks.dedup();
    // The engine scores the institution with the steps taken; its rank is counted
    // against the others as scored now (competition ranking, the edition's rounding).
    let mut one = p.alone()?;
    for &(j, k) in &picks {
        if let Some(c) = p.column_of[j] {
            one.columns[c].cells[0] = Cell::Value(p.model.choices[j][k].value);
            if let Some(a) = one.columns[c].answers.as_mut() {
                a[0] = None;
            }
        }
    }
    let after = plan.score(&one)?;
    result.cost = cost;
    result.score_after = after.value(0, g.node).unwrap_or(f64::NAN);
    result.rank_after = match after.value(0, t.root) {
        Some(v) => {
            let key = rank_key(v, t.round_digits);
            let above = (0..scores.len())
                .filter(|&i| i != pos)
                .filter_map(|i| scores.value(i, t.root))
                .filter(|&w| rank_key(w, t.round_digits) > key)
                .count();
            above as u32 + 1
        }
        None => 0,
    };
    result.quadrant_after = after.quadrant[0];
    let reached = g
        .tests
        .iter()
        .all(|&(x, test)| after.value(0, x).is_some_and(|v| test.holds(v)));
    if !reached {
        return Err(Error::usage(
            "improve_check_failed",
            format!(
                "{:?}: the engine scores the path found at {} (target {}): please report this",
                inst.id, result.score_after, options.target
            ),
        ));
    }
    result.actions = if gains {
        p.actions(&picks, g.node)?
    } else {
        let t = p.tree();
        picks
            .iter()
            .map(|&(j, k)| {
                let c = p.model.choices[j][k];
                Action {
                    node: t.ids[j].clone(),
                    from: p.model.raw[j],
                    to: c.value,
                    steps: c.steps,
                    cost: c.cost,
                    gain: 0.0,
                }
            })
            .collect()
    };
    Ok(result)
}

/// The result of taking no step: cost 0, everything after as before.
fn unchanged(
    plan: &Plan,
    scores: &Scores,
    pos: usize,
    options: &ImproveOptions,
    node: usize,
    required: f64,
) -> Improvement {
    let inst = &scores.institutions[pos];
    let v = scores.value(pos, node).unwrap_or(f64::NAN);
    Improvement {
        institution: inst.id.clone(),
        name: inst.name.clone(),
        target: options.target,
        target_node: plan.edition().tree.ids[node].clone(),
        required,
        feasible: true,
        reason: None,
        cost: 0.0,
        score_before: v,
        score_after: v,
        rank_before: scores.rank[pos],
        rank_after: scores.rank[pos],
        quadrant_before: scores.quadrant[pos],
        quadrant_after: scores.quadrant[pos],
        actions: Vec::new(),
    }
}

/// An unreachable target, with the reason (a row of [`improve_all`]).
fn infeasible(
    plan: &Plan,
    scores: &Scores,
    pos: usize,
    options: &ImproveOptions,
    node: usize,
    required: f64,
    reason: String,
) -> Improvement {
    Improvement {
        feasible: false,
        reason: Some(reason),
        cost: f64::INFINITY,
        ..unchanged(plan, scores, pos, options, node, required)
    }
}
