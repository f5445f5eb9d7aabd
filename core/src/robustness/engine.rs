//! The engine: factors compiled against a plan and data, and runs evaluated with the
//! core's own arithmetic.
//!
//! Setup checks the data once (given aggregates against their recomputation), drops the
//! aggregates that the lowest nodes given determine, validates every factor, and chooses
//! how runs are evaluated:
//! * **columns** (complete data at the lowest nodes given, the common case): the lowest
//!   nodes given are kept as columns (gates applied) and each run re-aggregates the nodes
//!   above them one node at a time over all institutions, through the same
//!   `aggregate_columns` the column kernel uses;
//! * **rows** (missing or not-applicable cells): each run sets the weights and aggregations
//!   of a private [`Plan`] and calls [`Plan::evaluate_into`].
//!
//! Both are the scoring code of [`crate::scoring`]; no arithmetic is written twice. A run
//! allocates nothing: every buffer belongs to a per-worker scratch.

use std::sync::Arc;

use crate::analysis::GroupBy;
use crate::edition::tree::Post;
use crate::edition::{Aggregation, GateOpensWhen, NationalMean, NotApplicablePolicy, Settings, UnansweredRequest};
use crate::error::{Error, RobustnessError, RobustnessErrorKind};
use crate::input::{Cell, Dataset, Institution, Jurisdiction};
use crate::observations::requests::{items_from_requests, InformationRequest, ParticipationProposal};
use crate::robustness::factors::{choose, parse_aggregation, Factor, FactorKind, FactorSpec, GeometricZeros};
use crate::robustness::stats::{average_ranks, correlation_centred};
use crate::scoring::columns::{aggregate_columns, min_max_column};
use crate::scoring::ranking::{rank_desc, rank_key, RankScratch};
use crate::scoring::{Plan, Prepared, Scores};
use crate::synthetic::SplitMix64;

/// Request-level evidence, for factors that vary how it is scored (`set:tc_celeridad`...).
#[derive(Clone, Debug, Default)]
pub struct Evidence {
    /// Simulated information requests.
    pub requests: Vec<InformationRequest>,
    /// Simulated participation proposals.
    pub proposals: Vec<ParticipationProposal>,
}

impl Evidence {
    fn is_empty(&self) -> bool {
        self.requests.is_empty() && self.proposals.is_empty()
    }
}

/// How runs are stopped and watched: called between chunks of runs with (done, total);
/// returning `false` stops the analysis with a `cancelled` error.
pub type Progress<'a> = &'a mut dyn FnMut(usize, usize) -> bool;

fn factor_error(factor: &str, message: impl Into<String>) -> Error {
    Error::from(RobustnessError::new(RobustnessErrorKind::InvalidFactor, message).factor(factor))
}

pub(crate) fn option_error(message: impl Into<String>) -> Error {
    Error::from(RobustnessError::new(RobustnessErrorKind::InvalidOption, message))
}

/// Where a column of a run comes from.
#[derive(Clone, Copy, Debug)]
enum Src {
    /// A lowest node given, at this position of the frontier.
    Frontier(usize),
    /// A node computed in this run, at this position of the computed list.
    Computed(usize),
}

#[derive(Clone, Debug)]
struct Computed {
    node: usize,
    s0: usize,
    s1: usize,
    kids: Vec<Src>,
}

/// The column path of one variant.
#[derive(Clone, Debug)]
struct Columns {
    /// Frontier columns, `frontier x m`, gates applied.
    base: Vec<f64>,
    /// Gates among frontier items: (when, opens, gated), as frontier positions.
    gates: Vec<(usize, GateOpensWhen, Vec<usize>)>,
}

#[derive(Clone, Debug)]
enum Path {
    Columns(Columns),
    Rows { plan: Box<Plan>, prepared: Box<Prepared> },
}

/// One combination of `set:` alternatives (or the nominal settings).
#[derive(Clone, Debug)]
struct Variant {
    settings: Settings,
    path: Path,
}

/// Nominal results (recomputed from the lowest nodes given).
#[derive(Clone, Debug)]
pub(crate) struct Nominal {
    pub score: Vec<f64>,
    pub rank: Vec<u32>,
    pub national: f64,
    pub group_means: Vec<f64>,
    avg_rank_centred: Vec<f64>,
    avg_rank_norm: f64,
}

/// Groups of institutions for `--by`.
#[derive(Clone, Debug)]
pub(crate) struct Groups {
    pub labels: Vec<String>,
    /// Group of each institution (`u32::MAX`: none).
    pub of: Vec<u32>,
    pub sizes: Vec<u32>,
}

/// Everything a run needs, set up once.
#[derive(Debug)]
pub(crate) struct Engine {
    pub factors: Vec<Factor>,
    pub institutions: Arc<[Institution]>,
    pub m: usize,
    pub nominal: Nominal,
    pub policies: Vec<String>,
    pub groups: Option<Groups>,
    pub evaluation: &'static str,
    national_mode: NationalMean,
    jurisdiction_of: Vec<u32>,
    n_jurisdictions: usize,
    root: usize,
    base_weights: Vec<f64>,
    weight_sets: Vec<Vec<f64>>,
    set_factor: Option<usize>,
    noise: Vec<(usize, f64, usize)>,
    dirichlet: Vec<(usize, usize, usize, f64, usize)>,
    touched: Vec<(usize, usize)>,
    agg: Vec<(usize, Vec<Aggregation>, usize)>,
    base_aggregation: Vec<Aggregation>,
    data: Vec<(usize, f64, usize)>,
    setting_factors: Vec<(usize, usize)>,
    variants: Vec<Variant>,
    nominal_variant: usize,
    frontier: Vec<usize>,
    computed: Vec<Computed>,
    root_src: Src,
    shift: f64,
    /// Normalisation and range of every node.
    post: Vec<Post>,
    /// Decimals the root is rounded to before ranking.
    round_digits: Option<u8>,
}

/// Per-worker buffers: a run writes only into these.
pub(crate) struct Scratch {
    weights: Vec<f64>,
    aggregation: Vec<Aggregation>,
    frontier: Vec<f64>,
    computed: Vec<f64>,
    rank: RankScratch,
    avg: Vec<f64>,
    counts: Vec<u32>,
    group_sums: Vec<f64>,
    plans: Vec<Option<(Plan, Scores)>>,
}

/// Per-run scalar results.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct RunStats {
    pub rank_shift: f64,
    pub spearman: Option<f64>,
    pub national: f64,
}

/// The outputs of a batch of runs. Per-institution outputs are institution-major (each
/// institution's runs contiguous), the layout every statistic reads.
#[derive(Clone, Debug, Default)]
pub(crate) struct RunOutputs {
    /// `m x runs` index scores.
    pub scores: Vec<f64>,
    /// `m x runs` competition ranks.
    pub ranks: Vec<u32>,
    /// `runs x factors` resolved factor values.
    pub values: Vec<f64>,
    /// Per-run statistics.
    pub stats: Vec<RunStats>,
    /// `runs x groups` group means of the index.
    pub group_means: Vec<f64>,
}

/// Gamma(shape, 1) by Marsaglia and Tsang's method, from a SplitMix64 stream, with every
/// transcendental function from `libm` so that native and WebAssembly runs agree bit for
/// bit (rand_distr calls the platform's `ln`/`exp`, which differ between them).
fn gamma(shape: f64, g: &mut SplitMix64) -> f64 {
    if shape < 1.0 {
        let u = loop {
            let u = g.next_f64();
            if u > 0.0 {
                break u;
            }
        };
        return gamma(shape + 1.0, g) * libm::pow(u, 1.0 / shape);
    }
    let d = shape - 1.0 / 3.0;
    let c = 1.0 / (9.0 * d).sqrt();
    loop {
        // Standard normal by Marsaglia's polar method.
        let x = loop {
            let a = 2.0 * g.next_f64() - 1.0;
            let b = 2.0 * g.next_f64() - 1.0;
            let s = a * a + b * b;
            if s > 0.0 && s < 1.0 {
                break a * (-2.0 * libm::log(s) / s).sqrt();
            }
        };
        let v = 1.0 + c * x;
        if v <= 0.0 {
            continue;
        }
        let v = v * v * v;
        let u = g.next_f64();
        if u > 0.0 && libm::log(u) < 0.5 * x * x + d - d * v + d * libm::log(v) {
            return d * v;
        }
    }
}

impl RunOutputs {
    /// Every run's scores and ranks run-major (`runs x m`), as results expose them.
    pub(crate) fn run_major(&self, m: usize) -> crate::robustness::SaOutputs {
        let runs = self.stats.len();
        let mut scores = vec![0.0; runs * m];
        let mut ranks = vec![0; runs * m];
        for i in 0..m {
            for r in 0..runs {
                scores[r * m + i] = self.scores[i * runs + r];
                ranks[r * m + i] = self.ranks[i * runs + r];
            }
        }
        crate::robustness::SaOutputs { scores, ranks }
    }
}

impl Engine {
    /// Compiles `spec` against `plan` and `data` (and request-level `evidence`).
    pub(crate) fn new(
        plan: &Plan,
        data: &Dataset,
        evidence: &Evidence,
        spec: &FactorSpec,
        by: Option<&GroupBy>,
    ) -> Result<Engine, Error> {
        let edition = plan.edition();
        let t = &edition.tree;
        let n = t.ids.len();
        let mut policies = Vec::new();

        // Setting factors: the variants.
        let mut set_specs: Vec<(String, Vec<String>)> = Vec::new();
        for (name, alts) in &spec.vary {
            let factor = format!("set:{name}");
            if alts.len() < 2 {
                return Err(factor_error(
                    &factor,
                    format!("a setting varied needs at least two alternatives; got {alts:?}"),
                ));
            }
            let mut seen = std::collections::HashSet::new();
            for a in alts {
                if !seen.insert(a.as_str()) {
                    return Err(factor_error(&factor, format!("alternative {a:?} listed twice")));
                }
            }
            set_specs.push((name.clone(), alts.clone()));
        }
        let combos: usize = if set_specs.is_empty() {
            0
        } else {
            set_specs.iter().map(|(_, a)| a.len()).product()
        };
        let mut variant_settings: Vec<Settings> = Vec::with_capacity(combos + 1);
        for v in 0..combos {
            let mut s = plan.settings().clone();
            let mut rest = v;
            for (name, alts) in set_specs.iter().rev() {
                let k = rest % alts.len();
                rest /= alts.len();
                apply_setting(&mut s, plan, name, &alts[k], evidence)?;
            }
            variant_settings.push(s);
        }
        variant_settings.push(plan.settings().clone());
        let nominal_variant = combos;

        // Data for each variant: evidence scored with its settings, checked, reduced.
        let mut variants = Vec::with_capacity(variant_settings.len());
        #[allow(clippy::type_complexity)]
        let mut structure: Option<(Vec<usize>, Vec<Computed>, Src, Vec<usize>)> = None;
        let mut all_columns = true;
        let mut dropped: Vec<String> = Vec::new();
        let mut institutions: Option<Arc<[Institution]>> = None;
        let mut given_nominal: Vec<bool> = vec![false; n];
        for (vi, settings) in variant_settings.iter().enumerate() {
            let vplan = plan.with_other_settings(settings.clone());
            let mut d = data.clone();
            if !evidence.is_empty() {
                items_from_requests(&vplan, &mut d, &evidence.requests, &evidence.proposals)?;
            }
            // 1. Given aggregates are checked against their recomputation.
            let mut check = settings.clone();
            check.on_mismatch = crate::edition::MismatchPolicy::Error;
            plan.with_other_settings(check).score(&d)?;
            // 2. Drop the aggregates that the nodes below them determine.
            let mut col_node: Vec<Option<usize>> =
                d.columns.iter().map(|c| edition.resolve_column(&c.header)).collect();
            let mut covered = vec![false; n];
            let mut complete_col = vec![None; n];
            for (ci, c) in d.columns.iter().enumerate() {
                if let Some(j) = col_node[ci] {
                    let no_missing = c.cells.iter().all(|x| !matches!(x, Cell::Missing));
                    complete_col[j] = Some(ci);
                    if no_missing {
                        covered[j] = true;
                    }
                }
            }
            let mut derivable = vec![false; n];
            for j in 0..n {
                if !t.is_leaf[j] {
                    let kids = &t.child[t.child_start[j]..t.child_start[j + 1]];
                    if kids.iter().all(|&c| covered[c]) {
                        derivable[j] = true;
                        covered[j] = true;
                    }
                }
            }
            let mut keep = Vec::with_capacity(d.columns.len());
            for (ci, c) in d.columns.iter().enumerate() {
                match col_node[ci] {
                    Some(j) if derivable[j] => {
                        if vi == nominal_variant {
                            dropped.push(c.header.clone());
                        }
                    }
                    _ => keep.push(ci),
                }
            }
            let columns: Vec<_> = keep.iter().map(|&ci| d.columns[ci].clone()).collect();
            col_node = keep.iter().map(|&ci| col_node[ci]).collect();
            d.columns = columns;
            let _ = complete_col;
            // 3. The frontier (lowest nodes given) and what is computed above it.
            let mut given = vec![false; n];
            for j in col_node.iter().flatten() {
                given[*j] = true;
            }
            if vi == nominal_variant {
                given_nominal = given.clone();
            }
            let below = below_given(t, &given);
            let frontier: Vec<usize> = (0..n).filter(|&j| given[j] && !below[j]).collect();
            let fpos = |j: usize| frontier.iter().position(|&f| f == j);
            let mut computed: Vec<Computed> = Vec::new();
            let mut src: Vec<Option<Src>> = vec![None; n];
            for (k, &f) in frontier.iter().enumerate() {
                src[f] = Some(Src::Frontier(k));
            }
            let mut complete_tree = true;
            for j in 0..n {
                if t.is_leaf[j] || given[j] || below[j] {
                    continue;
                }
                let (s0, s1) = (t.child_start[j], t.child_start[j + 1]);
                let kids: Option<Vec<Src>> = t.child[s0..s1].iter().map(|&c| src[c]).collect();
                match kids {
                    Some(kids) => {
                        src[j] = Some(Src::Computed(computed.len()));
                        computed.push(Computed { node: j, s0, s1, kids });
                    }
                    None => complete_tree = false,
                }
            }
            let complete_cells = d
                .columns
                .iter()
                .all(|c| c.cells.iter().all(|x| matches!(x, Cell::Value(_))));
            let antichain = d.columns.len() == frontier.len();
            let fast = complete_tree && complete_cells && antichain && src[t.root].is_some();
            let m = d.len();
            if institutions.is_none() {
                institutions = Some(d.institutions.clone().into());
            }
            let path = if fast {
                let mut base = vec![0.0; frontier.len() * m];
                for (ci, c) in d.columns.iter().enumerate() {
                    let j = col_node[ci].expect("resolved");
                    let k = fpos(j).expect("frontier");
                    for (i, cell) in c.cells.iter().enumerate() {
                        if let Cell::Value(v) = cell {
                            base[k * m + i] = *v;
                        }
                    }
                }
                let gates: Vec<(usize, GateOpensWhen, Vec<usize>)> = t
                    .gates
                    .iter()
                    .filter_map(|(when, opens, gated, _)| {
                        let w = fpos(*when)?;
                        let g: Vec<usize> = gated.iter().filter_map(|&x| fpos(x)).collect();
                        (!g.is_empty()).then_some((w, *opens, g))
                    })
                    .collect();
                let mut cols = Columns { base, gates };
                // Gates as the nominal scoring applies them (apply mode); data that break a
                // gate in error mode were refused by the check above.
                let mut b = std::mem::take(&mut cols.base);
                apply_gates(&cols.gates, &mut b, m);
                cols.base = b;
                Path::Columns(cols)
            } else {
                all_columns = false;
                let prepared = vplan.prepare(&d)?;
                Path::Rows {
                    plan: Box::new(vplan.clone()),
                    prepared: Box::new(prepared),
                }
            };
            if vi == nominal_variant || structure.is_none() {
                structure = Some((
                    frontier.clone(),
                    computed.clone(),
                    src[t.root].unwrap_or(Src::Computed(0)),
                    {
                        let mut g = Vec::new();
                        for j in 0..n {
                            if given[j] && !below[j] {
                                g.push(j);
                            }
                        }
                        g
                    },
                ));
            }
            variants.push(Variant {
                settings: settings.clone(),
                path,
            });
        }
        let (frontier, computed, root_src, _) = structure.expect("at least the nominal variant");
        let institutions = institutions.expect("at least one variant");
        let m = institutions.len();
        if m == 0 {
            return Err(option_error("no institutions to analyse"));
        }
        if !dropped.is_empty() {
            policies.push(format!(
                "aggregates given beside their parts ({}) are recomputed in every run, the nominal one included; they were checked against the recomputation within the tolerance {}",
                dropped.join(", "),
                plan.settings().consistency_tolerance
            ));
        }
        let below_nom = below_given(t, &given_nominal);
        let is_computed = |j: usize| !t.is_leaf[j] && !given_nominal[j] && !below_nom[j];

        // Weights.
        let mut factors: Vec<Factor> = Vec::new();
        let base_weights = plan.weights().to_vec();
        let parents: Vec<usize> = match &spec.weight_parents {
            Some(list) => {
                let mut out = Vec::new();
                for id in list {
                    let name = if spec.weight_dirichlet.is_some() {
                        format!("dir:{id}")
                    } else {
                        format!("w:{id}")
                    };
                    let j = edition
                        .node_index(id.trim())
                        .ok_or_else(|| factor_error(&name, format!("no node {id:?} in {}", edition.id())))?;
                    if t.is_leaf[j] {
                        return Err(factor_error(
                            &name,
                            format!("{id:?} is an item: it has no children to weigh"),
                        ));
                    }
                    if !is_computed(j) {
                        return Err(factor_error(
                            &name,
                            format!(
                                "the weights of {id:?}'s children cannot change any score: the data give {id:?} or a node above it"
                            ),
                        ));
                    }
                    if !out.contains(&j) {
                        out.push(j);
                    }
                }
                out.sort_unstable();
                out
            }
            None => {
                let all: Vec<usize> = (0..t.ids.len()).filter(|&j| is_computed(j)).collect();
                // By default the weight models leave points (weighted sums) alone, and say so.
                let (points, rest): (Vec<usize>, Vec<usize>) = all
                    .into_iter()
                    .partition(|&j| t.aggregation[j] == Aggregation::WeightedSum);
                if !points.is_empty() && (spec.weight_noise.is_some() || spec.weight_dirichlet.is_some()) {
                    policies.push(format!(
                        "weights of weighted sums are points, not varied: {} node(s) ({}{})",
                        points.len(),
                        t.ids[points[0]],
                        if points.len() > 1 { ", ..." } else { "" }
                    ));
                }
                rest
            }
        };
        let mut noise = Vec::new();
        let mut dirichlet = Vec::new();
        let mut touched = Vec::new();
        if spec.weight_noise.is_some() || spec.weight_dirichlet.is_some() {
            // Weight models draw fractions that sum to 1. A weighted sum's weights are
            // points (its scale), so perturbing them would change the scale silently: refused.
            // Relative weights of a mean are taken as fractions of their sum.
            if let Some(&j) = parents.iter().find(|&&j| t.aggregation[j] == Aggregation::WeightedSum) {
                return Err(factor_error(
                    if spec.weight_noise.is_some() { "w:*" } else { "dir:*" },
                    format!(
                        "the weights of {:?} are points of a weighted sum, which the weight models (fractions summing to 1) do not cover; restrict --weight-parents to other nodes",
                        t.ids[j]
                    ),
                ));
            }
        }
        if let Some(p) = spec.weight_noise {
            if !(p.is_finite() && (0.0..1.0).contains(&p)) {
                return Err(factor_error("w:*", format!("weight noise p = {p} must lie in [0, 1)")));
            }
            for &j in &parents {
                let (s0, s1) = (t.child_start[j], t.child_start[j + 1]);
                // Zero noise changes no weight: nothing to renormalise, so every run is
                // the nominal run bit for bit.
                if p > 0.0 {
                    touched.push((s0, s1));
                }
                for s in s0..s1 {
                    let name = format!("w:{}", t.ids[t.child[s]]);
                    noise.push((s, p, factors.len()));
                    factors.push(Factor {
                        name,
                        kind: FactorKind::WeightNoise {
                            parent: t.ids[j].clone(),
                            child: t.ids[t.child[s]].clone(),
                            p,
                        },
                        alternatives: Vec::new(),
                    });
                }
            }
        }
        if let Some(kappa) = spec.weight_dirichlet {
            if !(kappa.is_finite() && kappa > 0.0) {
                return Err(factor_error(
                    "dir:*",
                    format!("Dirichlet concentration {kappa} must be > 0"),
                ));
            }
            for &j in &parents {
                let (s0, s1) = (t.child_start[j], t.child_start[j + 1]);
                touched.push((s0, s1));
                // Relative weights: concentrations from their fractions (`kappa * w / sum w`).
                let k = if t.relative_weights(j) {
                    kappa / t.weight[s0..s1].iter().sum::<f64>()
                } else {
                    kappa
                };
                dirichlet.push((j, s0, s1, k, factors.len()));
                factors.push(Factor {
                    name: format!("dir:{}", t.ids[j]),
                    kind: FactorKind::Dirichlet {
                        parent: t.ids[j].clone(),
                        kappa,
                    },
                    alternatives: Vec::new(),
                });
            }
        }
        // Weight sets.
        let mut weight_sets = Vec::new();
        let mut set_factor = None;
        if !spec.weight_sets.is_empty() {
            if spec.weight_sets.len() < 2 {
                return Err(factor_error(
                    "weights",
                    "a choice of weight sets needs at least two sets",
                ));
            }
            for set in &spec.weight_sets {
                weight_sets.push(resolve_weight_set(plan, set)?);
            }
            set_factor = Some(factors.len());
            factors.push(Factor {
                name: "weights".into(),
                kind: FactorKind::WeightSet,
                alternatives: spec.weight_sets.iter().map(|s| s.name.clone()).collect(),
            });
        }
        touched.sort_unstable();
        // Aggregations.
        let base_aggregation = plan.aggregations().to_vec();
        let mut agg = Vec::new();
        let mut agg_specs: Vec<(usize, &String, &Vec<String>)> = Vec::new();
        for (node, alts) in &spec.vary_aggregation {
            let name = format!("agg:{node}");
            let j = edition
                .node_index(node.trim())
                .ok_or_else(|| factor_error(&name, format!("no node {node:?} in {}", edition.id())))?;
            if t.is_leaf[j] {
                return Err(factor_error(
                    &name,
                    format!("{node:?} is an item: it aggregates nothing"),
                ));
            }
            if !is_computed(j) {
                return Err(factor_error(
                    &name,
                    format!("{node:?} is given by the data (or lies below a node given), so its aggregation cannot change any score"),
                ));
            }
            agg_specs.push((j, node, alts));
        }
        agg_specs.sort_by_key(|x| x.0);
        for (j, node, alts) in agg_specs {
            let name = format!("agg:{node}");
            let mut parsed = Vec::new();
            for a in alts {
                let x = parse_aggregation(a).ok_or_else(|| {
                    factor_error(&name, format!("unknown aggregation {a:?} (arithmetic or geometric)"))
                })?;
                if parsed.contains(&x) {
                    return Err(factor_error(&name, format!("aggregation {a:?} listed twice")));
                }
                parsed.push(x);
            }
            if parsed.len() < 2 {
                return Err(factor_error(
                    &name,
                    "a varied aggregation needs at least two alternatives",
                ));
            }
            agg.push((j, parsed.clone(), factors.len()));
            factors.push(Factor {
                name,
                kind: FactorKind::Aggregation { node: t.ids[j].clone() },
                alternatives: parsed.iter().map(|a| a.name().to_string()).collect(),
            });
        }
        // Settings.
        let mut setting_factors = Vec::new();
        for (name, alts) in &set_specs {
            setting_factors.push((factors.len(), alts.len()));
            factors.push(Factor {
                name: format!("set:{name}"),
                kind: FactorKind::Setting { setting: name.clone() },
                alternatives: alts.clone(),
            });
        }
        // Data.
        let mut data_factors = Vec::new();
        if let Some(dn) = spec.data_noise {
            if !(dn.is_finite() && dn > 0.0 && dn <= 1.0) {
                return Err(factor_error("x:*", format!("data noise d = {dn} must lie in (0, 1]")));
            }
            if !all_columns {
                return Err(factor_error(
                    "x:*",
                    "data noise needs complete values at the lowest nodes given (no empty or NA cells)",
                ));
            }
            let nodes: Vec<usize> = match &spec.data_nodes {
                None => frontier.clone(),
                Some(list) => {
                    let mut out = Vec::new();
                    for id in list {
                        let name = format!("x:{id}");
                        let j = edition
                            .node_index(id.trim())
                            .ok_or_else(|| factor_error(&name, format!("no node {id:?} in {}", edition.id())))?;
                        if !frontier.contains(&j) {
                            return Err(factor_error(
                                &name,
                                format!("{id:?} is not a lowest node given (given: {})", ids(t, &frontier)),
                            ));
                        }
                        if !out.contains(&j) {
                            out.push(j);
                        }
                    }
                    out.sort_unstable();
                    out
                }
            };
            for j in nodes {
                let pos = frontier.iter().position(|&f| f == j).expect("frontier");
                data_factors.push((pos, dn, factors.len()));
                factors.push(Factor {
                    name: format!("x:{}", t.ids[j]),
                    kind: FactorKind::DataNoise {
                        node: t.ids[j].clone(),
                        d: dn,
                    },
                    alternatives: Vec::new(),
                });
            }
            policies.push(
                "data noise: each factor x:<node> shifts that node's value for every institution by the same amount, clipped to [0, 1]; gates are applied after the shift".into(),
            );
        }
        if factors.is_empty() {
            return Err(option_error(
                "no factor to vary: give weight noise, weight sets, aggregation or setting alternatives, or data noise",
            ));
        }

        // Geometric means that could meet a zero.
        let mut shift = 0.0;
        let geometric_nodes: Vec<usize> = agg
            .iter()
            .filter(|(_, alts, _)| alts.contains(&Aggregation::WeightedGeometric))
            .map(|(j, _, _)| *j)
            .collect();
        if !geometric_nodes.is_empty() {
            let max_shift = data_factors.iter().map(|d| d.1).fold(0.0, f64::max);
            let mut hits: Vec<(usize, usize, usize, usize)> = Vec::new(); // node, count, first inst, child
            for v in &variants {
                let vals = variant_values(plan, v, &frontier, &computed, m, t.ids.len())?;
                let zero = can_be_zero(t, &computed, &frontier, &vals, m, max_shift, &agg, &base_aggregation);
                for &j in &geometric_nodes {
                    let (s0, s1) = (t.child_start[j], t.child_start[j + 1]);
                    let mut count = 0;
                    let mut first = None;
                    for i in 0..m {
                        if let Some(s) = (s0..s1).find(|&s| base_weights[s] > 0.0 && zero[t.child[s] * m + i]) {
                            count += 1;
                            first.get_or_insert((i, t.child[s]));
                        }
                    }
                    if let Some((i, c)) = first {
                        if !hits.iter().any(|h| h.0 == j) {
                            hits.push((j, count, i, c));
                        }
                    }
                }
            }
            if let Some(&(j, count, i, c)) = hits.first() {
                match spec.geometric_zeros {
                    GeometricZeros::Error => {
                        return Err(Error::from(
                            RobustnessError::new(
                                RobustnessErrorKind::GeometricZero,
                                format!(
                                    "a geometric mean of {:?} meets a zero for {count} institution(s) (first: {:?} = 0); declare a policy: geometric_zeros = \"zero\" (the mean is then 0) or \"shift:1e-6\" (geometric mean of x + 1e-6, minus 1e-6)",
                                    t.ids[j], t.ids[c]
                                ),
                            )
                            .factor(format!("agg:{}", t.ids[j]))
                            .institution(institutions[i].id.clone())
                            .value(format!("{} = 0", t.ids[c])),
                        ))
                    }
                    GeometricZeros::Zero => policies.push(format!(
                        "geometric_zeros = zero: where a child is 0 the geometric mean is 0 ({} at {:?}{})",
                        plural(count),
                        t.ids[j],
                        others(&hits)
                    )),
                    GeometricZeros::Shift(e) => {
                        shift = e;
                        policies.push(format!(
                            "geometric_zeros = shift:{e}: every geometric mean is taken of x + {e}, minus {e} ({} meet a zero at {:?}{})",
                            plural(count),
                            t.ids[j],
                            others(&hits)
                        ));
                    }
                }
            }
        }
        // A shifted policy reaches the row path's plans too.
        if shift > 0.0 {
            for v in &mut variants {
                if let Path::Rows { plan, .. } = &mut v.path {
                    plan.set_geometric_shift(shift)?;
                }
            }
        }

        // Groups and jurisdictions.
        let groups = by.map(|b| {
            let mut keys: Vec<(String, String)> = Vec::new();
            let mut of = vec![u32::MAX; m];
            for (i, inst) in institutions.iter().enumerate() {
                if let Some(k) = b.key(inst) {
                    let g = match keys.iter().position(|x| x.0 == k.0) {
                        Some(g) => g,
                        None => {
                            keys.push(k);
                            keys.len() - 1
                        }
                    };
                    of[i] = g as u32;
                }
            }
            // Stable order by sort key.
            let mut order: Vec<usize> = (0..keys.len()).collect();
            order.sort_by(|&a, &b| keys[a].0.cmp(&keys[b].0));
            let mut new_index = vec![0u32; keys.len()];
            for (pos, &g) in order.iter().enumerate() {
                new_index[g] = pos as u32;
            }
            for x in of.iter_mut() {
                if *x != u32::MAX {
                    *x = new_index[*x as usize];
                }
            }
            let labels: Vec<String> = order.iter().map(|&g| keys[g].1.clone()).collect();
            let mut sizes = vec![0u32; labels.len()];
            for &g in &of {
                if g != u32::MAX {
                    sizes[g as usize] += 1;
                }
            }
            Groups { labels, of, sizes }
        });
        let mut jurisdiction_of = vec![u32::MAX; m];
        let mut n_jurisdictions = 0;
        if plan.settings().national_mean == NationalMean::JurisdictionMeans {
            let mut seen: Vec<Jurisdiction> = Vec::new();
            for (i, inst) in institutions.iter().enumerate() {
                if let Some(j) = inst.jurisdiction {
                    let k = match seen.iter().position(|x| *x == j) {
                        Some(k) => k,
                        None => {
                            seen.push(j);
                            seen.len() - 1
                        }
                    };
                    jurisdiction_of[i] = k as u32;
                }
            }
            n_jurisdictions = seen.len();
        }
        let mut engine = Engine {
            factors,
            institutions,
            m,
            nominal: Nominal {
                score: Vec::new(),
                rank: Vec::new(),
                national: 0.0,
                group_means: Vec::new(),
                avg_rank_centred: Vec::new(),
                avg_rank_norm: 0.0,
            },
            policies,
            groups,
            evaluation: if all_columns { "columns" } else { "rows" },
            national_mode: plan.settings().national_mean,
            jurisdiction_of,
            n_jurisdictions,
            root: t.root,
            base_weights,
            weight_sets,
            set_factor,
            noise,
            dirichlet,
            touched,
            agg,
            base_aggregation,
            data: data_factors,
            setting_factors,
            variants,
            nominal_variant,
            frontier,
            computed,
            root_src,
            shift,
            post: t.post.clone(),
            round_digits: t.round_digits,
        };
        // The nominal run, through the same code as every other run.
        let mut scratch = engine.scratch();
        let mut score = vec![0.0; m];
        let mut rank = vec![0u32; m];
        let mut values = vec![0.0; engine.factors.len()];
        let mut group_means = vec![0.0; engine.groups.as_ref().map_or(0, |g| g.labels.len())];
        engine.eval(None, &mut scratch, &mut score, &mut rank, &mut values)?;
        let national = engine.national(&score, &mut scratch, &mut group_means);
        let mut avg = vec![0.0; m];
        average_ranks(&rank, &mut scratch.counts, &mut avg);
        let mid = (m as f64 + 1.0) / 2.0;
        avg.iter_mut().for_each(|a| *a -= mid);
        let norm = avg.iter().map(|a| a * a).sum();
        engine.nominal = Nominal {
            score,
            rank,
            national,
            group_means,
            avg_rank_centred: avg,
            avg_rank_norm: norm,
        };
        Ok(engine)
    }

    /// Factor names, in design column order.
    pub(crate) fn factor_names(&self) -> Vec<String> {
        self.factors.iter().map(|f| f.name.clone()).collect()
    }

    /// Fresh per-worker buffers.
    pub(crate) fn scratch(&self) -> Scratch {
        let m = self.m;
        Scratch {
            weights: self.base_weights.clone(),
            aggregation: self.base_aggregation.clone(),
            frontier: if self.data.is_empty() {
                Vec::new()
            } else {
                vec![0.0; self.frontier.len() * m]
            },
            computed: vec![0.0; self.computed.len() * m],
            rank: RankScratch::default(),
            avg: vec![0.0; m],
            counts: Vec::with_capacity(m + 2),
            group_sums: vec![
                0.0;
                self.groups
                    .as_ref()
                    .map_or(0, |g| g.labels.len())
                    .max(self.n_jurisdictions)
            ],
            plans: self
                .variants
                .iter()
                .map(|v| match &v.path {
                    Path::Rows { plan, prepared } => Some(((**plan).clone(), plan.buffer(prepared))),
                    Path::Columns(_) => None,
                })
                .collect(),
        }
    }

    /// Evaluates one run (`u`: one uniform per factor; `None`: the nominal run) into
    /// `score`, `rank` and the resolved factor `values`. Allocation-free.
    pub(crate) fn eval(
        &self,
        u: Option<&[f64]>,
        s: &mut Scratch,
        score: &mut [f64],
        rank: &mut [u32],
        values: &mut [f64],
    ) -> Result<(), Error> {
        let m = self.m;
        // Weights: the chosen set, noise, Dirichlet draws, renormalised within parents.
        let base: &[f64] = match (u, self.set_factor) {
            (Some(u), Some(f)) => {
                let k = choose(u[f], self.weight_sets.len());
                values[f] = k as f64;
                &self.weight_sets[k]
            }
            _ => &self.base_weights,
        };
        s.weights.copy_from_slice(base);
        if let Some(u) = u {
            for &(slot, p, f) in &self.noise {
                s.weights[slot] *= 1.0 + p * (2.0 * u[f] - 1.0);
            }
            for &(parent, s0, s1, kappa, f) in &self.dirichlet {
                let mut g = SplitMix64::new(u[f].to_bits() ^ (parent as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
                for (w, &b) in s.weights[s0..s1].iter_mut().zip(&base[s0..s1]) {
                    let alpha = kappa * b;
                    *w = if alpha > 0.0 { gamma(alpha, &mut g) } else { 0.0 };
                }
                values[f] = u[f];
            }
        }
        // Renormalised within each parent whose weights were drawn (`w' = w~ / sum w~`);
        // the nominal run keeps the plan's weights, so it is `Plan::score` bit for bit.
        if u.is_some() {
            for &(s0, s1) in &self.touched {
                let sum: f64 = s.weights[s0..s1].iter().sum();
                if sum > 0.0 {
                    s.weights[s0..s1].iter_mut().for_each(|w| *w /= sum);
                }
            }
        }
        for &(slot, _, f) in &self.noise {
            values[f] = s.weights[slot];
        }
        // Aggregations.
        s.aggregation.copy_from_slice(&self.base_aggregation);
        if let Some(u) = u {
            for (node, alts, f) in &self.agg {
                let k = choose(u[*f], alts.len());
                s.aggregation[*node] = alts[k];
                values[*f] = k as f64;
            }
        }
        // Variant.
        let variant = match u {
            None => self.nominal_variant,
            Some(u) => {
                let mut v = 0;
                for &(f, k) in &self.setting_factors {
                    let c = choose(u[f], k);
                    values[f] = c as f64;
                    v = v * k + c;
                }
                v
            }
        };
        match &self.variants[variant].path {
            Path::Columns(cols) => {
                let frontier: &[f64] = if self.data.is_empty() {
                    &cols.base
                } else {
                    s.frontier.copy_from_slice(&cols.base);
                    if let Some(u) = u {
                        for &(pos, d, f) in &self.data {
                            let delta = d * (2.0 * u[f] - 1.0);
                            values[f] = delta;
                            for x in &mut s.frontier[pos * m..(pos + 1) * m] {
                                *x = (*x + delta).clamp(0.0, 1.0);
                            }
                        }
                        apply_gates(&cols.gates, &mut s.frontier, m);
                    }
                    &s.frontier
                };
                for (ci, c) in self.computed.iter().enumerate() {
                    let (done, rest) = s.computed.split_at_mut(ci * m);
                    let out = &mut rest[..m];
                    let col = |k: usize| -> &[f64] {
                        match c.kids[k] {
                            Src::Frontier(p) => &frontier[p * m..(p + 1) * m],
                            Src::Computed(p) => &done[p * m..(p + 1) * m],
                        }
                    };
                    let post = self.post[c.node];
                    aggregate_columns(
                        s.aggregation[c.node],
                        self.shift,
                        post,
                        &s.weights[c.s0..c.s1],
                        col,
                        out,
                    );
                    min_max_column(post, "", out)?;
                }
                let root: &[f64] = match self.root_src {
                    Src::Frontier(p) => &frontier[p * m..(p + 1) * m],
                    Src::Computed(p) => &s.computed[p * m..(p + 1) * m],
                };
                score.copy_from_slice(root);
            }
            Path::Rows { prepared, .. } => {
                let (plan, buffer) = s.plans[variant].as_mut().expect("row variant has a plan");
                plan.set_weights(&s.weights)?;
                for (node, _, _) in &self.agg {
                    plan.set_aggregation_at(*node, s.aggregation[*node])?;
                }
                plan.evaluate_into(prepared, buffer)?;
                for (i, x) in score.iter_mut().enumerate() {
                    *x = match buffer.value(i, self.root) {
                        Some(v) => v,
                        // incomplete = partial leaves an index empty: never a silent 0.
                        None => {
                            return Err(Error::usage(
                                "missing_value",
                                format!(
                                    "{:?} has no value for {:?} (incomplete data); robustness analysis needs every unit's index: give the missing inputs",
                                    buffer.institutions[i].id, buffer.nodes[self.root]
                                ),
                            ))
                        }
                    };
                }
            }
        }
        let _ = &self.variants[variant].settings;
        rank_desc(m, |i| rank_key(score[i], self.round_digits), rank, &mut s.rank);
        Ok(())
    }

    /// The national mean of a run's index (per the `national_mean` setting) and, if
    /// grouped, the group means into `group_means`.
    pub(crate) fn national(&self, score: &[f64], s: &mut Scratch, group_means: &mut [f64]) -> f64 {
        if let Some(g) = &self.groups {
            group_means.iter_mut().for_each(|x| *x = 0.0);
            for (i, &x) in score.iter().enumerate() {
                let k = g.of[i];
                if k != u32::MAX {
                    group_means[k as usize] += x;
                }
            }
            for (x, &n) in group_means.iter_mut().zip(&g.sizes) {
                *x /= n as f64;
            }
        }
        match self.national_mode {
            NationalMean::Institutions => score.iter().sum::<f64>() / self.m as f64,
            NationalMean::JurisdictionMeans => {
                let k = self.n_jurisdictions;
                let sums = &mut s.group_sums[..k];
                sums.iter_mut().for_each(|x| *x = 0.0);
                s.counts.clear();
                s.counts.resize(k, 0);
                for (i, &x) in score.iter().enumerate() {
                    let j = self.jurisdiction_of[i];
                    if j != u32::MAX {
                        sums[j as usize] += x;
                        s.counts[j as usize] += 1;
                    }
                }
                if k == 0 {
                    return score.iter().sum::<f64>() / self.m as f64;
                }
                sums.iter().zip(&s.counts).map(|(&x, &c)| x / c as f64).sum::<f64>() / k as f64
            }
        }
    }

    /// Per-run statistics against the nominal run.
    pub(crate) fn stats(&self, score: &[f64], rank: &[u32], s: &mut Scratch, group_means: &mut [f64]) -> RunStats {
        let rank_shift = rank
            .iter()
            .zip(&self.nominal.rank)
            .map(|(&a, &b)| (a as f64 - b as f64).abs())
            .sum::<f64>()
            / self.m as f64;
        let mut avg = std::mem::take(&mut s.avg);
        average_ranks(rank, &mut s.counts, &mut avg);
        let spearman = correlation_centred(&self.nominal.avg_rank_centred, self.nominal.avg_rank_norm, &avg);
        s.avg = avg;
        let national = self.national(score, s, group_means);
        RunStats {
            rank_shift,
            spearman,
            national,
        }
    }

    /// Evaluates `runs` runs, the uniforms of run `r` written by `row(r, out)`, in chunks
    /// (in parallel where the `parallel` feature and `threads` allow), calling `progress`
    /// between chunks.
    pub(crate) fn run_all(
        &self,
        runs: usize,
        row: &(dyn Fn(usize, &mut [f64]) + Sync),
        threads: Option<usize>,
        progress: Progress<'_>,
    ) -> Result<RunOutputs, Error> {
        let m = self.m;
        let d = self.factors.len();
        let g = self.groups.as_ref().map_or(0, |g| g.labels.len());
        let mut out = RunOutputs {
            scores: vec![0.0; runs * m],
            ranks: vec![0; runs * m],
            values: Vec::with_capacity(runs * d),
            stats: Vec::with_capacity(runs),
            group_means: Vec::with_capacity(runs * g),
        };
        let workers = Workers::new(threads)?;
        let chunk = (runs / 50).clamp(16.max(workers.count), 4096);
        let task = |lo: usize, hi: usize| -> Result<RunOutputs, Error> {
            let mut s = self.scratch();
            let k = hi - lo;
            let mut o = RunOutputs {
                scores: vec![0.0; k * m],
                ranks: vec![0; k * m],
                values: vec![0.0; k * d],
                stats: vec![RunStats::default(); k],
                group_means: vec![0.0; k * g],
            };
            let mut u = vec![0.0; d];
            for r in 0..k {
                row(lo + r, &mut u);
                let (sc, rk) = (&mut o.scores[r * m..(r + 1) * m], &mut o.ranks[r * m..(r + 1) * m]);
                self.eval(Some(&u), &mut s, sc, rk, &mut o.values[r * d..(r + 1) * d])?;
                o.stats[r] = self.stats(sc, rk, &mut s, &mut o.group_means[r * g..(r + 1) * g]);
            }
            Ok(o)
        };
        let mut done = 0;
        while done < runs {
            if !progress(done, runs) {
                return Err(Error::from(RobustnessError::new(
                    RobustnessErrorKind::Cancelled,
                    format!("stopped after {done} of {runs} runs"),
                )));
            }
            let hi = (done + chunk).min(runs);
            let parts = run_parts(done, hi, &workers, &task)?;
            let mut lo = done;
            for p in parts {
                // Run-major part into institution-major storage, eight institutions (one
                // cache line of each run's row) at a time.
                let k = p.stats.len();
                for i0 in (0..m).step_by(8) {
                    let i1 = (i0 + 8).min(m);
                    for r in 0..k {
                        let (srow, rrow) = (&p.scores[r * m..(r + 1) * m], &p.ranks[r * m..(r + 1) * m]);
                        for i in i0..i1 {
                            out.scores[i * runs + lo + r] = srow[i];
                            out.ranks[i * runs + lo + r] = rrow[i];
                        }
                    }
                }
                lo += k;
                out.values.extend_from_slice(&p.values);
                out.stats.extend_from_slice(&p.stats);
                out.group_means.extend_from_slice(&p.group_means);
            }
            done = hi;
        }
        progress(runs, runs);
        Ok(out)
    }
}

/// How many workers a run uses (only the parallel build asks).
#[cfg_attr(not(feature = "parallel"), allow(dead_code))]
pub(crate) fn worker_count(threads: Option<usize>) -> usize {
    #[cfg(feature = "parallel")]
    {
        threads.unwrap_or_else(rayon::current_num_threads).max(1)
    }
    #[cfg(not(feature = "parallel"))]
    {
        let _ = threads;
        1
    }
}

/// The worker threads of one analysis: the global rayon pool, or a pool of `threads`
/// built once per analysis (not per chunk).
pub(crate) struct Workers {
    /// How many workers run at once.
    pub count: usize,
    #[cfg(feature = "parallel")]
    pool: Option<rayon::ThreadPool>,
}

impl Workers {
    /// Workers for `threads` (`None`: every core, with the `parallel` feature).
    pub(crate) fn new(threads: Option<usize>) -> Result<Workers, Error> {
        #[cfg(feature = "parallel")]
        {
            let pool = match threads {
                Some(t) if t > 1 && t != rayon::current_num_threads() => Some(
                    rayon::ThreadPoolBuilder::new()
                        .num_threads(t)
                        .build()
                        .map_err(|e| option_error(format!("cannot start {t} threads: {e}")))?,
                ),
                _ => None,
            };
            Ok(Workers {
                count: worker_count(threads),
                pool,
            })
        }
        #[cfg(not(feature = "parallel"))]
        {
            let _ = threads;
            Ok(Workers { count: 1 })
        }
    }

    /// `f(k)` for every `k` in `0..n`, results in order, on these workers.
    pub(crate) fn map<T: Send>(&self, n: usize, f: &(dyn Fn(usize) -> T + Sync)) -> Vec<T> {
        #[cfg(feature = "parallel")]
        if self.count > 1 && n > 1 {
            use rayon::prelude::*;
            let go = || (0..n).into_par_iter().map(f).collect::<Vec<T>>();
            return match &self.pool {
                Some(p) => p.install(go),
                None => go(),
            };
        }
        (0..n).map(f).collect()
    }
}

/// Runs `task` over `[lo, hi)` split into one part per worker, results in order.
fn run_parts(
    lo: usize,
    hi: usize,
    workers: &Workers,
    task: &(dyn Fn(usize, usize) -> Result<RunOutputs, Error> + Sync),
) -> Result<Vec<RunOutputs>, Error> {
    let per = (hi - lo).div_ceil(workers.count.max(1)).max(1);
    let bounds: Vec<(usize, usize)> = (lo..hi).step_by(per).map(|a| (a, (a + per).min(hi))).collect();
    workers
        .map(bounds.len(), &|k| task(bounds[k].0, bounds[k].1))
        .into_iter()
        .collect()
}

/// Gates among frontier items, in order, in apply mode (the row kernel's semantics).
fn apply_gates(gates: &[(usize, GateOpensWhen, Vec<usize>)], cols: &mut [f64], m: usize) {
    for (when, opens, gated) in gates {
        for i in 0..m {
            let v = cols[when * m + i];
            let open = match opens {
                GateOpensWhen::Positive => v > 0.0,
                GateOpensWhen::Full => v >= 1.0,
            };
            if !open {
                for &g in gated {
                    if cols[g * m + i] > 0.0 {
                        cols[g * m + i] = 0.0;
                    }
                }
            }
        }
    }
}

/// Nodes strictly below a given node.
fn below_given(t: &crate::edition::Tree, given: &[bool]) -> Vec<bool> {
    let n = t.ids.len();
    let mut below = vec![false; n];
    // Post-order: parents come after children, so walk from the root down.
    for j in (0..n).rev() {
        if let Some(p) = t.parent[j] {
            below[j] = below[p] || given[p];
        }
    }
    below
}

fn ids(t: &crate::edition::Tree, nodes: &[usize]) -> String {
    nodes.iter().map(|&j| t.ids[j].as_str()).collect::<Vec<_>>().join(", ")
}

fn plural(n: usize) -> String {
    if n == 1 {
        "1 institution".into()
    } else {
        format!("{n} institutions")
    }
}

fn others(hits: &[(usize, usize, usize, usize)]) -> String {
    if hits.len() > 1 {
        format!(", and {} other node(s)", hits.len() - 1)
    } else {
        String::new()
    }
}

/// Node values of a variant's nominal scoring, `n x m` (for the zero check).
fn variant_values(
    plan: &Plan,
    v: &Variant,
    frontier: &[usize],
    computed: &[Computed],
    m: usize,
    n: usize,
) -> Result<Vec<f64>, Error> {
    let mut vals = vec![f64::NAN; n * m];
    match &v.path {
        Path::Columns(cols) => {
            for (k, &j) in frontier.iter().enumerate() {
                vals[j * m..(j + 1) * m].copy_from_slice(&cols.base[k * m..(k + 1) * m]);
            }
            let _ = computed;
        }
        Path::Rows { plan: p, prepared } => {
            let mut scores = p.buffer(prepared);
            p.evaluate_into(prepared, &mut scores)?;
            for i in 0..m {
                for j in 0..n {
                    if let Some(x) = scores.value(i, j) {
                        vals[j * m + i] = x;
                    }
                }
            }
            let _ = plan;
        }
    }
    Ok(vals)
}

/// Whether each node can be 0 for each institution in some run (`n x m`): a frontier value
/// that is 0 (or within the data noise of 0); above it, an arithmetic mean whose children
/// can all be 0, or a geometric mean with a child that can be 0.
#[allow(clippy::too_many_arguments)]
fn can_be_zero(
    t: &crate::edition::Tree,
    computed: &[Computed],
    frontier: &[usize],
    vals: &[f64],
    m: usize,
    noise: f64,
    agg: &[(usize, Vec<Aggregation>, usize)],
    base: &[Aggregation],
) -> Vec<bool> {
    let n = t.ids.len();
    let mut zero = vec![false; n * m];
    for j in 0..n {
        for i in 0..m {
            let v = vals[j * m + i];
            if !v.is_nan() && v <= noise {
                zero[j * m + i] = true;
            }
        }
    }
    let _ = frontier;
    for c in computed {
        let alts: Vec<Aggregation> = agg
            .iter()
            .find(|a| a.0 == c.node)
            .map(|a| a.1.clone())
            .unwrap_or_else(|| vec![base[c.node]]);
        let kids: Vec<usize> = t.child[c.s0..c.s1].to_vec();
        for i in 0..m {
            let any = kids.iter().any(|&k| zero[k * m + i]);
            let all = kids.iter().all(|&k| zero[k * m + i]);
            let z = alts.iter().any(|a| match a {
                Aggregation::WeightedGeometric => any,
                Aggregation::WeightedMean | Aggregation::WeightedSum => all,
            });
            if z {
                zero[c.node * m + i] = true;
            }
        }
    }
    zero
}

/// Applies one `set:` alternative to settings.
fn apply_setting(s: &mut Settings, plan: &Plan, name: &str, value: &str, evidence: &Evidence) -> Result<(), Error> {
    let factor = format!("set:{name}");
    let e = plan.edition();
    let needs_evidence = |what: &str| -> Result<(), Error> {
        if evidence.is_empty() {
            Err(factor_error(
                &factor,
                format!("{name} changes only items scored from {what}; none were given, so it cannot change any score"),
            ))
        } else {
            Ok(())
        }
    };
    match name {
        "not_applicable" => {
            s.not_applicable = match value {
                "zero" => NotApplicablePolicy::Zero,
                "renormalize" | "renormalise" => NotApplicablePolicy::Renormalize,
                _ => {
                    return Err(factor_error(
                        &factor,
                        format!("unknown alternative {value:?} (zero, renormalize)"),
                    ))
                }
            }
        }
        "unanswered_request" => {
            needs_evidence("requests")?;
            s.unanswered_request = match value {
                "zero" => UnansweredRequest::Zero,
                "exclude" => UnansweredRequest::Exclude,
                _ => return Err(factor_error(&factor, format!("unknown alternative {value:?} (zero, exclude)"))),
            }
        }
        "tc_celeridad" | "pc_celeridad" => {
            needs_evidence("requests or proposals")?;
            let known: Vec<String> = e.def().scorers.get(name).map(|v| v.keys().cloned().collect()).unwrap_or_default();
            if !known.iter().any(|k| k == value) {
                return Err(factor_error(
                    &factor,
                    format!("no scorer variant {value:?} in {} (known: {})", e.id(), known.join(", ")),
                ));
            }
            if name == "tc_celeridad" {
                s.tc_celeridad = Some(value.to_string());
            } else {
                s.pc_celeridad = Some(value.to_string());
            }
        }
        _ => {
            return Err(factor_error(
                &factor,
                format!(
                    "setting {name:?} cannot be varied (settings: not_applicable, tc_celeridad, pc_celeridad, unanswered_request)"
                ),
            ))
        }
    }
    Ok(())
}

/// A weight set as a full slot vector.
fn resolve_weight_set(plan: &Plan, set: &super::factors::WeightSet) -> Result<Vec<f64>, Error> {
    let e = plan.edition();
    let t = &e.tree;
    let mut w = plan.weights().to_vec();
    if set.weights.is_empty() {
        match set.name.as_str() {
            "edition" => return Ok(t.weight.clone()),
            "equal" => {
                for j in 0..t.ids.len() {
                    let (s0, s1) = (t.child_start[j], t.child_start[j + 1]);
                    for x in &mut w[s0..s1] {
                        *x = 1.0 / (s1 - s0) as f64;
                    }
                }
                return Ok(w);
            }
            other => {
                return Err(factor_error(
                    "weights",
                    format!("weight set {other:?} has no weights (the built-in sets are \"edition\" and \"equal\")"),
                ))
            }
        }
    }
    for (child, &x) in &set.weights {
        let j = e
            .node_index(child.trim())
            .or_else(|| e.resolve_column(child))
            .ok_or_else(|| {
                factor_error(
                    "weights",
                    format!("set {:?}: no node {child:?} in {}", set.name, e.id()),
                )
            })?;
        if t.parent[j].is_none() {
            return Err(factor_error(
                "weights",
                format!("set {:?}: {child:?} is the root and has no weight", set.name),
            ));
        }
        if !(x.is_finite() && x >= 0.0) {
            return Err(Error::from(
                RobustnessError::new(
                    RobustnessErrorKind::InvalidFactor,
                    format!("set {:?}: weight of {child:?} must be a finite number >= 0", set.name),
                )
                .factor("weights")
                .value(format!("{x}")),
            ));
        }
        w[t.slot_of[j]] = x;
    }
    let mut check = plan.clone();
    check.set_weights(&w).map_err(|err| {
        factor_error(
            "weights",
            format!(
                "set {:?}: {}",
                set.name,
                err.to_string().trim_start_matches("invalid_weight: ")
            ),
        )
    })?;
    Ok(w)
}
