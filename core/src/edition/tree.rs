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
    /// Gates compiled: (gating node, opens_when, gated nodes, gate id).
    pub gates: Vec<(usize, GateOpensWhen, Vec<usize>, String)>,
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
            let d = &self.def.nodes[t.def_index[j]];
            let (tag, source) = match t.parent[j] {
                Some(p) => {
                    let pd = &self.def.nodes[t.def_index[p]];
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
