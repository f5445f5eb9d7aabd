//! [`Plan`]: an edition compiled with settings and (swappable) weights, ready to score.
//!
//! A plan evaluates the tree with one forward pass over a flat node array (children
//! before parents). [`Plan::prepare`] maps a dataset onto that array once and checks
//! every cell; [`Plan::evaluate_into`] then scores it into a reusable [`Scores`] buffer
//! without allocating, so weights can be swapped ([`Plan::set_weights`]) and the same
//! data re-scored many times, as robustness analysis needs.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::edition::{Aggregation, Edition, Options, Settings, WEIGHT_SUM_TOLERANCE};
use crate::error::{Error, Result};
use crate::input::Dataset;
use crate::scoring::{Prepared, Scores};

/// An edition compiled with settings and weights.
#[derive(Clone, Debug)]
pub struct Plan {
    pub(super) edition: Edition,
    pub(super) settings: Settings,
    pub(super) weights: Vec<f64>,
    /// (transparency, participation) node indices for quadrants, if the root has exactly
    /// two children.
    pub(super) axes: Option<(usize, usize)>,
    /// Aggregate nodes in evaluation order: (node, first child slot, end slot, aggregation).
    pub(super) internal: Vec<(usize, usize, usize, Aggregation)>,
    /// Aggregation of every node (the edition's, or as set by [`Plan::set_aggregation`]).
    pub(super) aggregation: Vec<Aggregation>,
    /// Geometric zero policy: geometric means are taken of `x + shift` (0: none).
    pub(super) geometric_shift: f64,
}

/// One weight slot: a child within its parent.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WeightSlot {
    /// Parent node id.
    pub parent: String,
    /// Child node id.
    pub child: String,
    /// Current weight.
    pub weight: f64,
    /// The edition's weight.
    pub default: f64,
}

impl Plan {
    /// Compiles an edition with its default settings, overridden by `options`.
    pub fn new(edition: &Edition, options: &Options) -> Result<Plan> {
        let settings = Settings::resolve(edition, options)?;
        Ok(Self::with_settings(edition, settings))
    }

    /// Compiles an edition with fully resolved settings.
    pub fn with_settings(edition: &Edition, settings: Settings) -> Plan {
        let t = &edition.tree;
        let r = t.root;
        let kids = &t.child[t.child_start[r]..t.child_start[r + 1]];
        let axes = (kids.len() == 2).then(|| (kids[0], kids[1]));
        let internal = (0..t.ids.len())
            .filter(|&j| !t.is_leaf[j])
            .map(|j| (j, t.child_start[j], t.child_start[j + 1], t.aggregation[j]))
            .collect();
        Plan {
            edition: edition.clone(),
            settings,
            weights: t.weight.clone(),
            axes,
            internal,
            aggregation: t.aggregation.clone(),
            geometric_shift: 0.0,
        }
    }

    /// The edition.
    pub fn edition(&self) -> &Edition {
        &self.edition
    }
    /// The (transparency, participation) node indices used for quadrants.
    pub(crate) fn axes(&self) -> Option<(usize, usize)> {
        self.axes
    }
    /// The settings in force.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }
    /// Current weights, one per child slot (see [`Plan::weight_slots`]).
    pub fn weights(&self) -> &[f64] {
        &self.weights
    }
    /// Describes every weight slot, in the order of [`Plan::weights`].
    pub fn weight_slots(&self) -> Vec<WeightSlot> {
        let t = &self.edition.tree;
        let mut out = Vec::with_capacity(self.weights.len());
        for p in 0..t.ids.len() {
            for s in t.child_start[p]..t.child_start[p + 1] {
                out.push(WeightSlot {
                    parent: t.ids[p].clone(),
                    child: t.ids[t.child[s]].clone(),
                    weight: self.weights[s],
                    default: t.weight[s],
                });
            }
        }
        out
    }

    /// Replaces every weight. Each node's child weights must be finite, >= 0 and sum to 1
    /// within 1e-9 (relative weights and points: have a positive sum). Does not allocate.
    pub fn set_weights(&mut self, weights: &[f64]) -> Result<()> {
        let t = &self.edition.tree;
        if weights.len() != self.weights.len() {
            return Err(Error::usage(
                "invalid_weight",
                format!("expected {} weights, got {}", self.weights.len(), weights.len()),
            ));
        }
        for p in 0..t.ids.len() {
            let range = t.child_start[p]..t.child_start[p + 1];
            if range.is_empty() {
                continue;
            }
            let mut sum = 0.0;
            for s in range {
                let w = weights[s];
                if !w.is_finite() || w < 0.0 {
                    return Err(Error::usage(
                        "invalid_weight",
                        format!(
                            "weight of {:?} in {:?} is {w}; must be finite and >= 0",
                            t.ids[t.child[s]], t.ids[p]
                        ),
                    ));
                }
                sum += w;
            }
            let relative = self.edition.tree.relative_weights(p);
            if (relative && sum <= 0.0) || (!relative && (sum - 1.0).abs() > WEIGHT_SUM_TOLERANCE) {
                return Err(Error::usage(
                    "invalid_weight",
                    format!("weights of the children of {:?} sum to {sum}, not 1", t.ids[p]),
                ));
            }
        }
        self.weights.copy_from_slice(weights);
        Ok(())
    }

    /// Sets the weight of `node` within its parent to `weight` and rescales its siblings
    /// proportionally so the parent's weights still sum to 1 (siblings that are all 0 share
    /// the remainder equally). This is what a weight slider does.
    pub fn set_weight(&mut self, node: &str, weight: f64) -> Result<()> {
        let t = &self.edition.tree;
        let i = *t
            .index
            .get(node)
            .ok_or_else(|| Error::usage("unknown_node", format!("no node {node:?} in {}", self.edition.id())))?;
        let p = t.parent[i]
            .ok_or_else(|| Error::usage("invalid_weight", format!("{node:?} is the root and has no weight")))?;
        if !(weight.is_finite() && (0.0..=1.0).contains(&weight)) {
            return Err(Error::usage(
                "invalid_weight",
                format!("weight {weight} of {node:?} must be in [0, 1]"),
            ));
        }
        let range = t.child_start[p]..t.child_start[p + 1];
        let me = t.slot_of[i];
        let others: f64 = range.clone().filter(|&s| s != me).map(|s| self.weights[s]).sum();
        let n_others = range.len() - 1;
        let mut new = self.weights.clone();
        if n_others == 0 {
            return Err(Error::usage(
                "invalid_weight",
                format!("{node:?} is the only child of {:?}; its weight is 1", t.ids[p]),
            ));
        }
        for s in range {
            new[s] = if s == me {
                weight
            } else if others > 0.0 {
                self.weights[s] / others * (1.0 - weight)
            } else {
                (1.0 - weight) / n_others as f64
            };
        }
        self.set_weights(&new)
    }

    /// This plan (its weights, aggregations and geometric policy) under other settings.
    /// The settings must suit the edition (as [`Settings::resolve`] makes them).
    pub fn with_other_settings(&self, settings: Settings) -> Plan {
        let mut p = self.clone();
        p.settings = settings;
        p
    }

    /// The aggregation of every node, in evaluation order (meaningful for aggregate nodes).
    pub fn aggregations(&self) -> &[Aggregation] {
        &self.aggregation
    }

    /// Sets how node `node_index` (evaluation order) combines its children. Does not
    /// allocate; used by robustness analysis to vary the aggregation per run.
    pub fn set_aggregation_at(&mut self, node_index: usize, aggregation: Aggregation) -> Result<()> {
        let t = &self.edition.tree;
        if node_index >= t.ids.len() || t.is_leaf[node_index] {
            return Err(Error::usage(
                "unknown_node",
                format!(
                    "node index {node_index} is not an aggregate node of {}",
                    self.edition.id()
                ),
            ));
        }
        self.aggregation[node_index] = aggregation;
        if let Some(e) = self.internal.iter_mut().find(|e| e.0 == node_index) {
            e.3 = aggregation;
        }
        Ok(())
    }

    /// Sets how `node` combines its children (by id).
    pub fn set_aggregation(&mut self, node: &str, aggregation: Aggregation) -> Result<()> {
        let i = self
            .edition
            .node_index(node)
            .ok_or_else(|| Error::usage("unknown_node", format!("no node {node:?} in {}", self.edition.id())))?;
        self.set_aggregation_at(i, aggregation)
    }

    /// The geometric zero policy in force (0: plain geometric means).
    pub fn geometric_shift(&self) -> f64 {
        self.geometric_shift
    }

    /// Takes geometric means of `x + shift` minus `shift` (an epsilon shift, so that a zero
    /// child does not zero its parent). `shift` must be finite and >= 0; 0 restores plain
    /// geometric means. Arithmetic means are unaffected.
    pub fn set_geometric_shift(&mut self, shift: f64) -> Result<()> {
        if !(shift.is_finite() && shift >= 0.0) {
            return Err(Error::usage(
                "invalid_option",
                format!("geometric shift {shift} must be finite and >= 0"),
            ));
        }
        self.geometric_shift = shift;
        Ok(())
    }

    /// Restores the edition's weights.
    pub fn reset_weights(&mut self) {
        self.weights.copy_from_slice(&self.edition.tree.weight);
    }

    /// [`Plan::score`] taking the dataset by value (no copy of the institutions).
    pub fn score_owned(&self, data: Dataset) -> Result<Scores> {
        // Complete item-level data: the column kernel (same bits, see `score_by_columns`).
        if let Some(mut s) = self.score_by_columns(&data, || Arc::from(Vec::new())) {
            s.institutions = data.institutions.into();
            return Ok(s);
        }
        let prepared = self.prepare_owned(data)?;
        let mut out = self.buffer(&prepared);
        self.evaluate_into(&prepared, &mut out)?;
        Ok(out)
    }

    /// An empty score buffer for `prepared`, to pass to [`Plan::evaluate_into`].
    pub fn buffer(&self, prepared: &Prepared) -> Scores {
        let n = prepared.n_nodes;
        let m = prepared.len();
        Scores {
            edition: self.edition.id().to_string(),
            nodes: self.edition.tree.ids.clone(),
            institutions: Arc::clone(&prepared.institutions),
            values: vec![0.0; m * n],
            known: vec![false; m * n],
            rank: vec![0; m],
            quadrant: vec![None; m],
            scratch: Default::default(),
        }
    }

    /// Scores a dataset: [`prepare`](Plan::prepare), [`buffer`](Plan::buffer),
    /// [`evaluate_into`](Plan::evaluate_into).
    ///
    /// ```
    /// use apertura::{Dataset, Edition, Institution, Options, Plan};
    /// let plan = Plan::new(&Edition::load("mga-2017")?, &Options::default())?;
    /// let mut data = Dataset::new(vec![Institution::new("x")]);
    /// for (node, v) in [("tg", 0.4), ("tc", 0.6), ("pg", 0.2), ("pc", 0.2)] {
    ///     data.push_values(node, &[v])?;
    /// }
    /// let scores = plan.score(&data)?;
    /// assert!((scores.get(0, "iga").unwrap() - 0.35).abs() < 1e-12);
    /// # Ok::<(), apertura::Error>(())
    /// ```
    pub fn score(&self, data: &Dataset) -> Result<Scores> {
        // Complete item-level data: the column kernel (same bits, see `score_by_columns`).
        if let Some(s) = self.score_by_columns(data, || data.institutions.as_slice().into()) {
            return Ok(s);
        }
        let prepared = self.prepare(data)?;
        let mut out = self.buffer(&prepared);
        self.evaluate_into(&prepared, &mut out)?;
        Ok(out)
    }
}
