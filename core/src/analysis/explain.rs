//! Explanations of one institution: each item's contribution to the index and the gain if
//! it alone reached 1.

use serde::{Deserialize, Serialize};

use crate::analysis::gaps::effective_weight;
use crate::edition::{GateMode, MismatchPolicy};
use crate::error::{Error, Result};
use crate::input::Dataset;
use crate::scoring::Plan;

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
    /// Increase of the index if this item alone reached the top of its range (1 for
    /// every MGA item; gates applied, so an item blocked by a closed gate gains 0).
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
        // Answers in words travel with their cell (gates on answers read them).
        if let (Some(a), Some(last)) = (&c.answers, one.columns.last_mut()) {
            last.answers = Some(vec![a[pos]]);
        }
    }
    let base = plan.score(&one)?;
    let e = plan.edition();
    let root = e.root_id().to_string();
    let no_index = || {
        Error::usage(
            "missing_value",
            format!("{institution:?} has no value for {root:?} (incomplete data): there is no index to explain"),
        )
    };
    let index = base.get(0, &root).ok_or_else(no_index)?;
    // What-if plan: gates applied, no mismatch checks (a changed item disagrees with a
    // given parent by construction).
    let mut settings = plan.settings().clone();
    settings.gates = GateMode::Apply;
    settings.on_mismatch = MismatchPolicy::KeepGiven;
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
        // Gain: set this node to the top of its range, 1 for every MGA node (drop given
        // ancestors so they are recomputed); an unbounded node to 1.
        let top = e.range(id).and_then(|r| r.max).unwrap_or(1.0);
        let mut probe = Dataset::new(one.institutions.to_vec());
        for c in &one.columns {
            let cj = e.resolve_column(&c.header);
            let is_ancestor = cj.map(|cj| is_ancestor_of(plan, cj, j)).unwrap_or(false);
            if is_ancestor {
                continue;
            }
            if cj == Some(j) {
                probe.push_values(c.header.clone(), &[top])?;
            } else {
                // As given, answers in words included.
                probe.columns.push(c.clone());
            }
        }
        if !one.columns.iter().any(|c| e.resolve_column(&c.header) == Some(j)) {
            probe.push_values(id.clone(), &[top])?;
        }
        let lifted = what_if.score(&probe)?.get(0, &root).ok_or_else(no_index)?;
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
