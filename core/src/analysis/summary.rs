//! Group summaries: n, mean, min, max and best institution of every node, by jurisdiction,
//! level, type or any metadata column, with a final national row.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::edition::NationalMean;
use crate::input::{Institution, Jurisdiction};
use crate::scoring::{Plan, Scores};

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

    /// The (sort key, display label) of an institution's group; `None` if it has no value for it.
    pub fn key(&self, inst: &Institution) -> Option<(String, String)> {
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
pub(super) fn id_order(scores: &Scores) -> Vec<u32> {
    let mut idx: Vec<usize> = (0..scores.len()).collect();
    idx.sort_by(|&a, &b| scores.institutions[a].id.cmp(&scores.institutions[b].id));
    let mut order = vec![0u32; idx.len()];
    for (pos, i) in idx.into_iter().enumerate() {
        order[i] = pos as u32;
    }
    order
}

pub(super) fn stats(scores: &Scores, id_order: &[u32], members: &[usize], node_index: usize) -> Option<NodeStats> {
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
