//! Group summaries, gaps ("brechas") and single-institution explanations.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::dataset::Dataset;
use crate::error::{Error, Result};
use crate::institution::{Institution, Jurisdiction};
use crate::plan::{Plan, Scores};
use crate::settings::{GateMode, NationalMean};

/// What to group institutions by.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    /// Jurisdiction (32 states and Federal).
    Jurisdiction,
    /// Level of government.
    Level,
    /// Institution type.
    Type,
    /// Any metadata column, by name.
    Column(String),
}

impl GroupBy {
    /// Parses `jurisdiction`, `level`, `type` (also Spanish `edo`/`estado`, `niv`/`nivel`,
    /// `ts`/`tipo`); anything else is a metadata column name.
    pub fn parse(text: &str) -> GroupBy {
        match text.trim().to_ascii_lowercase().as_str() {
            "jurisdiction" | "edo" | "estado" | "entidad" | "state" => GroupBy::Jurisdiction,
            "level" | "niv" | "nivel" => GroupBy::Level,
            "type" | "ts" | "tipo" | "kind" => GroupBy::Type,
            _ => GroupBy::Column(text.trim().to_string()),
        }
    }

    fn key(&self, inst: &Institution) -> Option<(String, String)> {
        // (sort key, display label)
        match self {
            GroupBy::Jurisdiction => inst
                .jurisdiction
                .map(|j| (format!("{:02}", j.inegi_code()), j.name().to_string())),
            GroupBy::Level => inst.level.map(|l| (format!("{}", l as u8), l.name().to_string())),
            GroupBy::Type => inst.kind.as_ref().map(|k| (k.name().to_string(), k.name().to_string())),
            GroupBy::Column(c) => inst.metadata.get(c).map(|v| (v.clone(), v.clone())),
        }
    }
}

/// Statistics of one node within a group.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NodeStats {
    /// Institutions with a value for this node.
    pub n: usize,
    /// Unweighted mean.
    pub mean: f64,
    /// Minimum.
    pub min: f64,
    /// Maximum.
    pub max: f64,
    /// Id of the institution with the highest value (ties: the smallest id).
    pub best: String,
}

/// One group of a summary.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupSummary {
    /// Group label (`"Aguascalientes"`, `"Municipal"`..., `"national"` for the total).
    pub group: String,
    /// Number of institutions.
    pub n: usize,
    /// Node id -> statistics, in evaluation order.
    pub nodes: Vec<(String, NodeStats)>,
}

impl GroupSummary {
    /// Statistics of a node.
    pub fn get(&self, node: &str) -> Option<&NodeStats> {
        self.nodes.iter().find(|(n, _)| n == node).map(|(_, s)| s)
    }
}

/// A summary by group, with a final `national` row.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Edition id.
    pub edition: String,
    /// What the groups are.
    pub by: GroupBy,
    /// Groups in a stable order (INEGI code, level order, or name), then `national`.
    pub groups: Vec<GroupSummary>,
    /// Institutions without a value for the grouping key (left out of the groups, counted
    /// in `national`).
    pub ungrouped: usize,
}

impl Summary {
    /// A group by label.
    pub fn group(&self, label: &str) -> Option<&GroupSummary> {
        self.groups.iter().find(|g| g.group == label)
    }
    /// The national row.
    pub fn national(&self) -> &GroupSummary {
        self.groups.last().expect("a summary always has a national row")
    }
}

/// Position of each institution in id order: ties for "best" go to the smallest id,
/// compared as integers in the loop.
fn id_order(scores: &Scores) -> Vec<u32> {
    let mut idx: Vec<usize> = (0..scores.len()).collect();
    idx.sort_by(|&a, &b| scores.institutions[a].id.cmp(&scores.institutions[b].id));
    let mut order = vec![0u32; idx.len()];
    for (pos, i) in idx.into_iter().enumerate() {
        order[i] = pos as u32;
    }
    order
}

fn stats(scores: &Scores, id_order: &[u32], members: &[usize], node_index: usize) -> Option<NodeStats> {
    let mut n = 0usize;
    let mut sum = 0.0;
    let mut min = f64::INFINITY;
    let mut max = f64::NEG_INFINITY;
    let mut best: Option<(f64, u32, usize)> = None;
    for &i in members {
        if let Some(v) = scores.value(i, node_index) {
            n += 1;
            sum += v;
            min = min.min(v);
            max = max.max(v);
            let o = id_order[i];
            best = match best {
                Some((bv, bo, bi)) if bv > v || (bv == v && bo <= o) => Some((bv, bo, bi)),
                _ => Some((v, o, i)),
            };
        }
    }
    (n > 0).then(|| NodeStats {
        n,
        mean: sum / n as f64,
        min,
        max,
        best: best.map(|b| scores.institutions[b.2].id.clone()).unwrap_or_default(),
    })
}

/// Summarises scores by group: n, mean, min, max and best institution of every node; the
/// final row `national` is the unweighted mean over institutions (or over jurisdiction
/// means, per [`Settings::national_mean`](crate::Settings::national_mean)).
pub fn summary(plan: &Plan, scores: &Scores, by: &GroupBy) -> Summary {
    let mut groups: BTreeMap<String, (String, Vec<usize>)> = BTreeMap::new();
    let mut ungrouped = 0;
    for (i, inst) in scores.institutions.iter().enumerate() {
        match by.key(inst) {
            Some((k, label)) => groups.entry(k).or_insert_with(|| (label, Vec::new())).1.push(i),
            None => ungrouped += 1,
        }
    }
    let node_ids: Vec<(usize, &String)> = scores.nodes.iter().enumerate().rev().collect();
    let order = id_order(scores);
    let summarise = |label: String, members: &[usize]| GroupSummary {
        group: label,
        n: members.len(),
        nodes: node_ids
            .iter()
            .filter_map(|&(j, id)| stats(scores, &order, members, j).map(|s| (id.clone(), s)))
            .collect(),
    };
    let mut out: Vec<GroupSummary> = groups
        .into_values()
        .map(|(label, members)| summarise(label, &members))
        .collect();
    let all: Vec<usize> = (0..scores.len()).collect();
    let mut national = summarise("national".to_string(), &all);
    if plan.settings().national_mean == NationalMean::JurisdictionMeans {
        // Replace means by the mean of jurisdiction means.
        let mut by_j: BTreeMap<Jurisdiction, Vec<usize>> = BTreeMap::new();
        for (i, inst) in scores.institutions.iter().enumerate() {
            if let Some(j) = inst.jurisdiction {
                by_j.entry(j).or_default().push(i);
            }
        }
        for (id, s) in national.nodes.iter_mut() {
            let j = scores.node_index(id).expect("node from the same scores");
            let means: Vec<f64> = by_j
                .values()
                .filter_map(|m| stats(scores, &order, m, j))
                .map(|s| s.mean)
                .collect();
            if !means.is_empty() {
                s.mean = means.iter().sum::<f64>() / means.len() as f64;
            }
        }
    }
    out.push(national);
    Summary {
        edition: scores.edition.clone(),
        by: by.clone(),
        groups: out,
        ungrouped,
    }
}

/// The gap ("brecha") of one component: `weight x (1 - mean)` inside its parent, as in the
/// 2017 report's "Principales brechas".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Gap {
    /// Component or item id.
    pub node: String,
    /// Parent (perspective) id.
    pub parent: String,
    /// Weight within the parent.
    pub weight: f64,
    /// Effective weight in the index.
    pub effective_weight: f64,
    /// Mean over institutions with a value.
    pub mean: f64,
    /// `weight x (1 - mean)`.
    pub gap: f64,
    /// Institutions with a value.
    pub n: usize,
}

/// Gaps of every node below a perspective (the items of 2017), largest first within each
/// perspective, perspectives in edition order. Nodes without values are left out.
pub fn gaps(plan: &Plan, scores: &Scores) -> Vec<Gap> {
    let e = plan.edition();
    let slots = plan.weight_slots();
    let all: Vec<usize> = (0..scores.len()).collect();
    let order = id_order(scores);
    let mut out = Vec::new();
    for persp in e
        .node_ids()
        .iter()
        .filter(|id| e.node(id).map(|d| d.level) == Some(crate::edition::NodeLevel::Perspective))
    {
        let mut these: Vec<Gap> = slots
            .iter()
            .filter(|s| &s.parent == persp)
            .filter_map(|s| {
                let j = scores.node_index(&s.child)?;
                let st = stats(scores, &order, &all, j)?;
                Some(Gap {
                    node: s.child.clone(),
                    parent: persp.clone(),
                    weight: s.weight,
                    effective_weight: effective_weight(plan, &s.child),
                    mean: st.mean,
                    gap: s.weight * (1.0 - st.mean),
                    n: st.n,
                })
            })
            .collect();
        these.sort_by(|a, b| b.gap.total_cmp(&a.gap).then_with(|| a.node.cmp(&b.node)));
        out.extend(these);
    }
    out
}

fn effective_weight(plan: &Plan, node: &str) -> f64 {
    let slots = plan.weight_slots();
    let mut w = 1.0;
    let mut cur = node.to_string();
    while let Some(s) = slots.iter().find(|s| s.child == cur) {
        w *= s.weight;
        cur = s.parent.clone();
    }
    w
}

/// One item's part in an institution's index.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ItemContribution {
    /// Item (leaf) id.
    pub item: String,
    /// Parent id.
    pub parent: String,
    /// Weight within its parent.
    pub weight: f64,
    /// Effective weight in the index (product of weights up to the root).
    pub effective_weight: f64,
    /// The item's value.
    pub value: f64,
    /// `effective_weight x value` (the item's additive share of the index under
    /// weighted-mean aggregation).
    pub contribution: f64,
    /// Increase of the index if this item alone reached 1 (gates applied, so an item
    /// blocked by a closed gate gains 0).
    pub gain_if_one: f64,
}

/// The explanation of one institution's index.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Explanation {
    /// Institution id.
    pub institution: String,
    /// The index value.
    pub index: f64,
    /// Every leaf with a value, in edition order.
    pub items: Vec<ItemContribution>,
}

/// Explains one institution: each item's contribution to the index and the gain if it
/// reached 1. Leaves without a value (institutions scored from perspective values only)
/// are explained at the lowest level given.
pub fn explain(plan: &Plan, data: &Dataset, institution: &str) -> Result<Explanation> {
    let pos = data
        .institutions
        .iter()
        .position(|x| x.id == institution)
        .ok_or_else(|| Error::usage("unknown_institution", format!("no institution with id {institution:?}")))?;
    let mut one = Dataset::new(vec![data.institutions[pos].clone()]);
    one.source = data.source.clone();
    one.rows = data.row_of(pos).map(|r| vec![r]);
    for c in &data.columns {
        one.push_column(c.header.clone(), vec![c.cells[pos]])?;
    }
    let base = plan.score(&one)?;
    let e = plan.edition();
    let root = e.root_id().to_string();
    let index = base.get(0, &root).expect("scored");
    // What-if plan: gates applied, no mismatch checks (a changed item disagrees with a
    // given parent by construction).
    let mut settings = plan.settings().clone();
    settings.gates = GateMode::Apply;
    settings.on_mismatch = crate::settings::MismatchPolicy::KeepGiven;
    let mut what_if = Plan::with_settings(e, settings);
    what_if.set_weights(plan.weights())?;
    let slots = plan.weight_slots();
    // Lowest given level: leaves with values, else the deepest nodes with values whose
    // children have none.
    let mut items = Vec::new();
    for (j, id) in base.nodes.iter().enumerate() {
        let Some(value) = base.value(0, j) else { continue };
        if id == &root {
            continue;
        }
        let kids_known = slots
            .iter()
            .filter(|s| &s.parent == id)
            .any(|s| base.get(0, &s.child).is_some());
        // A known node without known children is the lowest level given on its branch.
        if kids_known {
            continue;
        }
        let slot = slots.iter().find(|s| &s.child == id).expect("non-root has a slot");
        let ew = effective_weight(plan, id);
        // Gain: set this node to 1 (drop given ancestors so they are recomputed).
        let mut probe = Dataset::new(one.institutions.to_vec());
        for c in &one.columns {
            let cj = e.resolve_column(&c.header);
            let is_ancestor = cj.map(|cj| is_ancestor_of(plan, cj, j)).unwrap_or(false);
            if is_ancestor {
                continue;
            }
            if cj == Some(j) {
                probe.push_values(c.header.clone(), &[1.0])?;
            } else {
                probe.push_column(c.header.clone(), c.cells.clone())?;
            }
        }
        if !one.columns.iter().any(|c| e.resolve_column(&c.header) == Some(j)) {
            probe.push_values(id.clone(), &[1.0])?;
        }
        let lifted = what_if.score(&probe)?.get(0, &root).expect("scored");
        items.push(ItemContribution {
            item: id.clone(),
            parent: slot.parent.clone(),
            weight: slot.weight,
            effective_weight: ew,
            value,
            contribution: ew * value,
            gain_if_one: (lifted - index).max(0.0),
        });
    }
    Ok(Explanation {
        institution: institution.to_string(),
        index,
        items,
    })
}

fn is_ancestor_of(plan: &Plan, maybe_ancestor: usize, node: usize) -> bool {
    let t = &plan.edition().tree;
    let mut cur = t.parent[node];
    while let Some(p) = cur {
        if p == maybe_ancestor {
            return true;
        }
        cur = t.parent[p];
    }
    false
}
