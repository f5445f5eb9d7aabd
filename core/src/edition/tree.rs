//! The compiled tree: node ids in post-order with parent links, child ranges, weight slots
//! and gates as indices (`Tree`, crate-internal), and its flattened display form
//! ([`TreeRow`]).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::edition::schema::{Aggregation, GateOpensWhen, NodeLevel, Tag};
use crate::edition::Edition;

/// The compiled tree (crate-internal).
#[derive(Clone, Debug)]
pub(crate) struct Tree {
    /// Node ids in post-order.
    pub ids: Vec<String>,
    /// Node id -> index.
    pub index: HashMap<String, usize>,
    /// Index of each node's definition in `def.nodes`.
    pub def_index: Vec<usize>,
    /// Parent of each node (None for the root).
    pub parent: Vec<Option<usize>>,
    /// Children of node i are `child[child_start[i]..child_start[i+1]]`.
    pub child_start: Vec<usize>,
    /// Child node indices, grouped by parent.
    pub child: Vec<usize>,
    /// Default weight of each child slot.
    pub weight: Vec<f64>,
    /// Slot of each node within its parent's children (usize::MAX for the root).
    pub slot_of: Vec<usize>,
    /// Aggregation of each node.
    pub aggregation: Vec<Aggregation>,
    /// Whether each node is a leaf.
    pub is_leaf: Vec<bool>,
    /// Level of each node.
    pub level: Vec<NodeLevel>,
    /// Root index (= len - 1).
    pub root: usize,
    /// Gates on values compiled: (gating node, opens_when, gated nodes, gate id).
    pub gates: Vec<(usize, GateOpensWhen, Vec<usize>, String)>,
    /// Gates on answers, applied to the input before any other gate.
    pub answer_gates: Vec<AnswerGate>,
    /// Normalisation and range of each node.
    pub post: Vec<Post>,
    /// Answer map of each item answered in words: (answer as the edition writes it,
    /// value), in the map's order (an answer's code is its position; matched ignoring case).
    pub answers: Vec<Option<Vec<(String, f64)>>>,
    /// Whether each node's weights are relative or points (need not sum to 1).
    pub relative: Vec<bool>,
    /// Decimals the root value is rounded to (half up) before ranking.
    pub round_digits: Option<u8>,
}

/// A gate on answers, compiled.
#[derive(Clone, Debug)]
pub(crate) struct AnswerGate {
    /// The answered item.
    pub when: usize,
    /// Codes of the answers that close the gate.
    pub closes_on: Vec<u16>,
    /// Items that must score at most 0 while it is closed.
    pub gated: Vec<usize>,
    /// Gate id.
    pub id: String,
}

/// What follows a node's aggregation: a z-score, then the clamp to its range. A min-max
/// node is left raw here and rescaled once the whole population is scored.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Post {
    /// Lowest value.
    pub lo: f64,
    /// Highest value.
    pub hi: f64,
    /// Reference (mean, sd) of a z-score.
    pub z: Option<(f64, f64)>,
    /// Scale of a min-max rescaling over the population.
    pub min_max: Option<f64>,
}

impl Post {
    /// The node value from its aggregated value (identical to the clamp to [0, 1] of
    /// every MGA node).
    #[inline]
    pub fn apply(self, raw: f64) -> f64 {
        if self.min_max.is_some() {
            return raw;
        }
        match self.z {
            Some((mean, sd)) => (raw - mean) / sd,
            None => raw,
        }
        .clamp(self.lo, self.hi)
    }
}

impl Tree {
    /// Whether node `p`'s weights are relative or points (need not sum to 1).
    pub fn relative_weights(&self, p: usize) -> bool {
        self.relative[p]
    }
    /// The weight in slot `s` divided by the sum of its siblings' weights (the weight
    /// itself when they sum to 1).
    pub fn normalized_weight(&self, s: usize) -> f64 {
        let p = self.parent[self.child[s]].expect("a slot has a parent");
        let sum: f64 = self.weight[self.child_start[p]..self.child_start[p + 1]].iter().sum();
        if (sum - 1.0).abs() <= crate::edition::WEIGHT_SUM_TOLERANCE {
            self.weight[s]
        } else {
            self.weight[s] / sum
        }
    }
}

/// One node of an edition's tree, flattened for tables (Python `Edition.tree()`, JS
/// `edition.tree()`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TreeRow {
    /// Node id.
    pub id: String,
    /// Parent id (`None` for the root).
    pub parent: Option<String>,
    /// Level.
    pub level: NodeLevel,
    /// Depth (0 for the root).
    pub depth: usize,
    /// Spanish label.
    pub label_es: String,
    /// English label.
    pub label_en: String,
    /// Weight within the parent (1 for the root).
    pub weight: f64,
    /// Effective weight in the index.
    pub effective_weight: f64,
    /// Provenance of the weight (of the node's formula for the root).
    pub tag: Tag,
    /// Source of the weight.
    pub source: String,
}

impl Edition {
    /// The tree in display order (breadth-first from the root).
    pub fn tree_rows(&self) -> Vec<TreeRow> {
        let t = &self.tree;
        let mut out = Vec::with_capacity(t.ids.len());
        let mut queue = std::collections::VecDeque::from([(t.root, 0usize)]);
        while let Some((j, depth)) = queue.pop_front() {
            let d = &self.full.nodes[t.def_index[j]];
            let (tag, source) = match t.parent[j] {
                Some(p) => {
                    let pd = &self.full.nodes[t.def_index[p]];
                    let c = pd.children.iter().find(|c| c.id == d.id).expect("child of its parent");
                    (c.tag, c.source.clone())
                }
                None => (d.tag, d.source.clone()),
            };
            out.push(TreeRow {
                id: d.id.clone(),
                parent: t.parent[j].map(|p| t.ids[p].clone()),
                level: d.level,
                depth,
                label_es: d.label.es.clone(),
                label_en: d.label.en.clone(),
                weight: self.local_weight(&d.id).unwrap_or(1.0),
                effective_weight: self.effective_weight(&d.id).unwrap_or(1.0),
                tag,
                source,
            });
            queue.extend(
                t.child[t.child_start[j]..t.child_start[j + 1]]
                    .iter()
                    .map(|&c| (c, depth + 1)),
            );
        }
        out
    }
}
