//! [`Scores`] of a run (every node, rank and quadrant of every institution) and one
//! institution's [`Scorecard`].

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::input::Institution;
use crate::scoring::ranking::{Quadrant, RankScratch};

/// Scores of a run: every node's value for every institution, with rank and quadrant.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scores {
    /// Edition id.
    pub edition: String,
    /// Node ids, in evaluation order (the column order of `values`).
    pub nodes: Vec<String>,
    /// Institutions, in input order (shared with the [`Prepared`](crate::Prepared) data they came from).
    pub institutions: Arc<[Institution]>,
    /// Row-major `institutions x nodes` values; meaningful only where `known` is true.
    pub(crate) values: Vec<f64>,
    /// Whether each value was given or computed.
    pub(crate) known: Vec<bool>,
    /// Rank by index value within the run (1 = best; ties share the smallest rank).
    pub rank: Vec<u32>,
    /// T x P quadrant, when the edition has two dimensions.
    pub quadrant: Vec<Option<Quadrant>>,
    #[serde(skip)]
    pub(crate) scratch: RankScratch,
}

impl Scores {
    /// Number of institutions.
    pub fn len(&self) -> usize {
        self.institutions.len()
    }
    /// Whether empty.
    pub fn is_empty(&self) -> bool {
        self.institutions.is_empty()
    }
    /// Index of a node in [`Scores::nodes`].
    pub fn node_index(&self, node: &str) -> Option<usize> {
        self.nodes.iter().position(|n| n == node)
    }
    /// Value of node `node_index` for institution `i`, `None` if neither given nor computable.
    pub fn value(&self, i: usize, node_index: usize) -> Option<f64> {
        let k = i * self.nodes.len() + node_index;
        self.known[k].then(|| self.values[k])
    }
    /// Value by node id.
    pub fn get(&self, i: usize, node: &str) -> Option<f64> {
        self.value(i, self.node_index(node)?)
    }
    /// Whole column of a node (None where unknown).
    pub fn column(&self, node: &str) -> Option<Vec<Option<f64>>> {
        let j = self.node_index(node)?;
        Some((0..self.len()).map(|i| self.value(i, j)).collect())
    }
    /// The values of the nodes `node_indices`, node-major (`out[c * len + i]` is node
    /// `node_indices[c]` of institution `i`), NaN where unknown: the layout of a frame's
    /// columns, in one pass over the row-major values.
    pub fn node_major(&self, node_indices: &[usize]) -> Vec<f64> {
        let (n, m) = (self.nodes.len(), self.len());
        let mut out = vec![f64::NAN; node_indices.len() * m];
        if n == 0 {
            return out;
        }
        // In blocks of rows: each block's values stay in cache while every column reads it.
        const ROWS: usize = 256;
        let (values, known) = (&self.values, &self.known);
        for lo in (0..m).step_by(ROWS) {
            let hi = (lo + ROWS).min(m);
            for (c, &j) in node_indices.iter().enumerate() {
                let col = &mut out[c * m + lo..c * m + hi];
                for (i, x) in (lo..hi).zip(col) {
                    let k = i * n + j;
                    if known[k] {
                        *x = values[k];
                    }
                }
            }
        }
        out
    }
    /// Whether any institution has a value for this node.
    pub fn has_any(&self, node_index: usize) -> bool {
        (0..self.len()).any(|i| self.known[i * self.nodes.len() + node_index])
    }
    /// Index of the institution with this id.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.institutions.iter().position(|x| x.id == id)
    }
    /// The scorecard of institution `i`.
    pub fn scorecard(&self, i: usize) -> Scorecard {
        Scorecard {
            institution: self.institutions[i].clone(),
            values: self
                .nodes
                .iter()
                .enumerate()
                .filter_map(|(j, n)| self.value(i, j).map(|v| (n.clone(), v)))
                .collect(),
            rank: self.rank[i],
            quadrant: self.quadrant[i],
        }
    }
    /// Every scorecard.
    pub fn scorecards(&self) -> Vec<Scorecard> {
        (0..self.len()).map(|i| self.scorecard(i)).collect()
    }
}

/// One institution's scores.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scorecard {
    /// The institution.
    pub institution: Institution,
    /// Node id -> value, for every node given or computed (evaluation order).
    pub values: Vec<(String, f64)>,
    /// Rank within the run.
    pub rank: u32,
    /// T x P quadrant.
    pub quadrant: Option<Quadrant>,
}

impl Scorecard {
    /// Value of a node.
    pub fn get(&self, node: &str) -> Option<f64> {
        self.values.iter().find(|(n, _)| n == node).map(|(_, v)| *v)
    }
}
