//! Gaps ("brechas"): `weight x (1 - mean)` of every component inside its perspective, as in
//! the 2017 report's "Principales brechas".

use serde::{Deserialize, Serialize};

use crate::analysis::summary::{id_order, stats};
use crate::edition::Aggregation;
use crate::edition::NodeLevel;
use crate::scoring::{Plan, Scores};

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
        .filter(|id| e.node(id).map(|d| d.level) == Some(NodeLevel::Perspective))
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

/// The weight of `node` in the index: the product along its path of each slot's factor,
/// the weight itself under weights that sum to 1, `w / sum w` under relative weights and
/// the points `w` of a weighted sum (GODI: an item's 5 points in a dataset, 1/13 of the
/// dataset in the place score: 5/13). Normalisations are not linear and are not counted.
pub(super) fn effective_weight(plan: &Plan, node: &str) -> f64 {
    let t = &plan.edition().tree;
    let Some(mut i) = plan.edition().node_index(node) else {
        return 1.0;
    };
    let weights = plan.weights();
    let mut w = 1.0;
    while let Some(p) = t.parent[i] {
        let s = t.slot_of[i];
        w *= match plan.aggregations()[p] {
            Aggregation::WeightedSum => weights[s],
            _ if t.relative_weights(p) => {
                weights[s] / weights[t.child_start[p]..t.child_start[p + 1]].iter().sum::<f64>()
            }
            _ => weights[s],
        };
        i = p;
    }
    w
}
