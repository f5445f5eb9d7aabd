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

/// [`stats`] of every node in `nodes` at once: one pass over the members, reading each
/// institution's row once (the scores are row-major), each node's values added in member
/// order as [`stats`] adds them, so the results are its results bit for bit.
fn stats_of_nodes(scores: &Scores, id_order: &[u32], members: &[usize], nodes: &[usize]) -> Vec<Option<NodeStats>> {
    struct Acc {
        n: usize,
        sum: f64,
        min: f64,
        max: f64,
        best: Option<(f64, u32, usize)>,
    }
    let mut acc: Vec<Acc> = nodes
        .iter()
        .map(|_| Acc {
            n: 0,
            sum: 0.0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
            best: None,
        })
        .collect();
    for &i in members {
        let o = id_order[i];
        for (a, &j) in acc.iter_mut().zip(nodes) {
            if let Some(v) = scores.value(i, j) {
                a.n += 1;
                a.sum += v;
                a.min = a.min.min(v);
                a.max = a.max.max(v);
                a.best = match a.best {
                    Some((bv, bo, bi)) if bv > v || (bv == v && bo <= o) => Some((bv, bo, bi)),
                    _ => Some((v, o, i)),
                };
            }
        }
    }
    acc.into_iter()
        .map(|a| {
            (a.n > 0).then(|| NodeStats {
                n: a.n,
                mean: a.sum / a.n as f64,
                min: a.min,
                max: a.max,
                best: a.best.map(|b| scores.institutions[b.2].id.clone()).unwrap_or_default(),
            })
        })
        .collect()
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
    let node_index: Vec<usize> = node_ids.iter().map(|&(j, _)| j).collect();
    let order = id_order(scores);
    let summarise = |label: String, members: &[usize]| GroupSummary {
        group: label,
        n: members.len(),
        nodes: node_ids
            .iter()
            .zip(stats_of_nodes(scores, &order, members, &node_index))
            .filter_map(|(&(_, id), s)| s.map(|s| (id.clone(), s)))
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
        let nodes: Vec<usize> = national
            .nodes
            .iter()
            .map(|(id, _)| scores.node_index(id).expect("node from the same scores"))
            .collect();
        // Per jurisdiction, every node's statistics (in jurisdiction order).
        let per_j: Vec<Vec<Option<NodeStats>>> = by_j
            .values()
            .map(|m| stats_of_nodes(scores, &order, m, &nodes))
            .collect();
        for (k, (_, s)) in national.nodes.iter_mut().enumerate() {
            let means: Vec<f64> = per_j.iter().filter_map(|st| st[k].as_ref()).map(|s| s.mean).collect();
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

#[cfg(test)]
mod tests {
    //! Summaries of a table scored in parts (partitions, batches), the parts concatenated
    //! and ranked by [`Plan::rank_scores`]: equal to the summary of the whole, bit for bit.

    use super::*;
    use crate::edition::{Edition, NationalMean, Options};
    use crate::input::{Column, Dataset};
    use crate::scoring::ScoreColumn;
    use proptest::prelude::*;

    /// The rows `rows` of a dataset, in that order.
    fn subset(data: &Dataset, rows: &[usize]) -> Dataset {
        let mut out = Dataset::new(rows.iter().map(|&i| data.institutions[i].clone()).collect());
        for c in &data.columns {
            out.columns.push(Column {
                header: c.header.clone(),
                cells: rows.iter().map(|&i| c.cells[i]).collect(),
                rows: None,
                answers: c.answers.as_ref().map(|a| rows.iter().map(|&i| a[i]).collect()),
            });
        }
        out
    }

    /// Each part scored alone, the score tables concatenated (every node column, with its
    /// unknown cells) and ranked together.
    fn scored_in_parts(plan: &Plan, data: &Dataset, parts: &[Vec<usize>]) -> Scores {
        let nodes = plan.edition().node_ids();
        let mut institutions = Vec::new();
        let mut values: Vec<Vec<f64>> = vec![Vec::new(); nodes.len()];
        let mut known: Vec<Vec<bool>> = vec![Vec::new(); nodes.len()];
        for rows in parts {
            let s = plan.score(&subset(data, rows)).expect("a part scores");
            institutions.extend(s.institutions.iter().cloned());
            for (k, node) in nodes.iter().enumerate() {
                let col = s.column(node).expect("every node");
                values[k].extend(col.iter().map(|v| v.unwrap_or(0.0)));
                known[k].extend(col.iter().map(Option::is_some));
            }
        }
        let cols: Vec<ScoreColumn<'_>> = (0..nodes.len())
            .map(|k| ScoreColumn {
                header: &nodes[k],
                values: &values[k],
                known: Some(&known[k]),
            })
            .collect();
        plan.rank_scores(institutions, &cols).expect("ranked")
    }

    /// A partition of `0..m` into contiguous runs of a shuffled order (or of `0..m` itself
    /// when `order_seed` is 0).
    fn partition(m: usize, order_seed: u64, cuts: &[usize]) -> Vec<Vec<usize>> {
        let mut order: Vec<usize> = (0..m).collect();
        let mut g = crate::synthetic::SplitMix64::new(order_seed);
        if order_seed != 0 {
            for i in (1..m).rev() {
                order.swap(i, g.below(i as u64 + 1) as usize);
            }
        }
        let mut cuts: Vec<usize> = cuts.iter().map(|&c| c % (m + 1)).collect();
        cuts.extend([0, m]);
        cuts.sort_unstable();
        cuts.windows(2).map(|w| order[w[0]..w[1]].to_vec()).collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        /// Any partition, rows in any order: every value (bits), rank and quadrant is the
        /// whole's, institution by institution. In the whole's row order the summaries by
        /// jurisdiction, level and type (national mean of institutions or of jurisdiction
        /// means) are equal too, bit for bit.
        #[test]
        fn parts_ranked_together_equal_the_whole(
            m in 1usize..300,
            seed in 0u64..1000,
            order_seed in 0u64..3,
            cuts in proptest::collection::vec(0usize..300, 0..7),
            godi in any::<bool>(),
            jurisdiction_means in any::<bool>(),
        ) {
            let options = Options {
                national_mean: jurisdiction_means.then_some(NationalMean::JurisdictionMeans),
                ..Options::default()
            };
            let edition = Edition::load(if godi { "godi-2015" } else { "mga-2017" }).expect("shipped");
            let p = Plan::new(&edition, &options).expect("plan");
            let data = crate::synthetic::item_level(p.edition(), m, seed);
            let whole = p.score(&data).expect("whole");
            let parts = partition(m, order_seed, &cuts);
            let got = scored_in_parts(&p, &data, &parts);
            let order: Vec<usize> = parts.concat();
            for (k, &i) in order.iter().enumerate() {
                prop_assert_eq!(&got.institutions[k].id, &whole.institutions[i].id);
                prop_assert_eq!(got.rank[k], whole.rank[i]);
                prop_assert_eq!(got.quadrant[k], whole.quadrant[i]);
                for j in 0..whole.nodes.len() {
                    prop_assert_eq!(got.value(k, j).map(f64::to_bits), whole.value(i, j).map(f64::to_bits));
                }
            }
            if order_seed == 0 {
                for by in ["jurisdiction", "level", "type"] {
                    let by = GroupBy::parse(by);
                    prop_assert_eq!(summary(&p, &got, &by), summary(&p, &whole, &by));
                }
            }
        }
    }
}
