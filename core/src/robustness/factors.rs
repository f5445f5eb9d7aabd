//! Factors: the contestable choices a robustness analysis varies, typed and validated.
//!
//! A [`FactorSpec`] is what a user asks for (the CLI flags, the Python keyword arguments
//! and the JavaScript option object all map to it). It becomes a list of [`Factor`]s, each
//! driven by one uniform `u` in [0, 1) per run, with a stable name:
//!
//! | factor | name | what `u` does |
//! |---|---|---|
//! | uniform weight noise `p` | `w:<child>` | `w~ = w (1 + p (2u - 1))`, then renormalised within the parent |
//! | Dirichlet weights `kappa` | `dir:<parent>` | the parent's weights drawn from `Dir(kappa w)` (a generator seeded by `u`) |
//! | alternative weight sets | `weights` | set `floor(u K)` of the K sets |
//! | aggregation of a node | `agg:<node>` | alternative `floor(u K)` (arithmetic, geometric) |
//! | an enumerated setting | `set:<setting>` | variant `floor(u K)` |
//! | data noise `d` | `x:<node>` | every institution's value of the node shifted by `d (2u - 1)`, clipped to [0, 1] |
//!
//! Factors come in that order: weights (slot order), `weights`, `agg:` (evaluation order),
//! `set:` (alphabetical), `x:` (evaluation order). That order is the column order of a
//! design.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::edition::Aggregation;

/// What a robustness analysis varies. Every field is optional; at least one factor must
/// result.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FactorSpec {
    /// Uniform relative noise `p` in [0, 1) on every weight in scope: one factor `w:<child>`
    /// per weight slot.
    pub weight_noise: Option<f64>,
    /// Dirichlet concentration `kappa` > 0: each parent in scope draws its weights from
    /// `Dir(kappa w)` (one factor `dir:<parent>`). Not together with `weight_noise`.
    pub weight_dirichlet: Option<f64>,
    /// Parents whose children's weights vary. Default: every aggregate node computed from
    /// the data (weights below the lowest nodes given cannot move any score).
    pub weight_parents: Option<Vec<String>>,
    /// Alternative weight sets: one discrete factor `weights` choosing among them. A set
    /// named `edition` or `equal` with no weights is the edition's weights or equal weights
    /// within every parent.
    pub weight_sets: Vec<WeightSet>,
    /// Aggregation alternatives per node: `{"p": ["arithmetic", "geometric"]}` gives the
    /// factor `agg:p`.
    pub vary_aggregation: BTreeMap<String, Vec<String>>,
    /// Setting alternatives: `{"not_applicable": ["zero", "renormalize"]}` gives the factor
    /// `set:not_applicable`. Settings: `not_applicable`, `tc_celeridad`, `pc_celeridad`,
    /// `unanswered_request` (the last three need request-level input).
    pub vary: BTreeMap<String, Vec<String>>,
    /// Noise `d` in (0, 1] on data values: one factor `x:<node>` per node in scope.
    pub data_noise: Option<f64>,
    /// Nodes whose values vary with `data_noise`. Default: every lowest node given.
    pub data_nodes: Option<Vec<String>>,
    /// What to do where a geometric mean would meet a zero.
    pub geometric_zeros: GeometricZeros,
}

/// A named set of weights: child node id -> weight within its parent. Slots not listed keep
/// the edition's weight; each parent's weights must still sum to 1.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WeightSet {
    /// The name shown in results (`edition`, `equal`, a file name...).
    pub name: String,
    /// Child node id -> weight. Empty with the names `edition` and `equal`: the built-in sets.
    #[serde(default)]
    pub weights: BTreeMap<String, f64>,
}

impl WeightSet {
    /// A built-in set by name (`edition` or `equal`).
    pub fn builtin(name: &str) -> WeightSet {
        WeightSet {
            name: name.to_string(),
            weights: BTreeMap::new(),
        }
    }
}

/// The declared policy for a geometric mean that meets a zero child.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum GeometricZeros {
    /// Refuse to run, naming the node, the institutions and the child (default: never a
    /// silent result).
    #[default]
    Error,
    /// Accept it: a zero child makes the geometric mean 0 (its mathematical value).
    Zero,
    /// Take geometric means of `x + eps` minus `eps` (an epsilon shift; `shift:1e-6`).
    Shift(f64),
}

impl GeometricZeros {
    /// Parses `error`, `zero` or `shift:EPS`.
    pub fn parse(text: &str) -> Result<GeometricZeros, String> {
        let t = text.trim().to_ascii_lowercase();
        match t.as_str() {
            "error" => Ok(GeometricZeros::Error),
            "zero" => Ok(GeometricZeros::Zero),
            _ => match t.strip_prefix("shift:").or_else(|| t.strip_prefix("shift=")) {
                Some(eps) => match eps.trim().parse::<f64>() {
                    Ok(e) if e.is_finite() && e > 0.0 => Ok(GeometricZeros::Shift(e)),
                    _ => Err(format!("shift {eps:?} must be a finite number > 0")),
                },
                None => Err(format!(
                    "unknown geometric-zero policy {text:?} (error, zero or shift:EPS)"
                )),
            },
        }
    }
}

impl fmt::Display for GeometricZeros {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GeometricZeros::Error => write!(f, "error"),
            GeometricZeros::Zero => write!(f, "zero"),
            GeometricZeros::Shift(e) => write!(f, "shift:{e}"),
        }
    }
}

impl TryFrom<String> for GeometricZeros {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        GeometricZeros::parse(&s)
    }
}

impl From<GeometricZeros> for String {
    fn from(g: GeometricZeros) -> String {
        g.to_string()
    }
}

/// What a factor varies (resolved against the edition and the data).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum FactorKind {
    /// Uniform relative noise on one weight slot.
    WeightNoise {
        /// Parent node id.
        parent: String,
        /// Child node id.
        child: String,
        /// The relative noise `p`.
        p: f64,
    },
    /// Dirichlet draw of one parent's weights.
    Dirichlet {
        /// Parent node id.
        parent: String,
        /// Concentration.
        kappa: f64,
    },
    /// Choice among weight sets.
    WeightSet,
    /// Choice of a node's aggregation.
    Aggregation {
        /// The node.
        node: String,
    },
    /// Choice of a setting's variant.
    Setting {
        /// The setting.
        setting: String,
    },
    /// Shift of a node's values for every institution.
    DataNoise {
        /// The node.
        node: String,
        /// The largest shift `d`.
        d: f64,
    },
}

/// One uncertain input of a robustness analysis.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Factor {
    /// Name, as in designs and results (`w:tg`, `agg:p`, `set:not_applicable`...).
    pub name: String,
    /// What it varies.
    #[serde(flatten)]
    pub kind: FactorKind,
    /// The alternatives of a discrete factor, in order (empty for continuous factors).
    pub alternatives: Vec<String>,
}

impl Factor {
    /// Whether the factor chooses among alternatives (`floor(u K)`).
    pub fn is_discrete(&self) -> bool {
        !self.alternatives.is_empty()
    }
}

/// Alternative `floor(u K)` of `K` (u in [0, 1)).
pub(crate) fn choose(u: f64, k: usize) -> usize {
    ((u * k as f64) as usize).min(k.saturating_sub(1))
}

/// Parses an aggregation alternative as users type it.
pub(crate) fn parse_aggregation(text: &str) -> Option<Aggregation> {
    Aggregation::parse(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices_follow_floor_u_k() {
        assert_eq!(choose(0.0, 2), 0);
        assert_eq!(choose(0.4999, 2), 0);
        assert_eq!(choose(0.5, 2), 1);
        assert_eq!(choose(0.999_999, 3), 2);
        assert_eq!(choose(1.0 / 3.0, 3), 1);
    }

    #[test]
    fn geometric_zero_policies_parse() {
        assert_eq!(GeometricZeros::parse("error"), Ok(GeometricZeros::Error));
        assert_eq!(GeometricZeros::parse("Zero"), Ok(GeometricZeros::Zero));
        assert_eq!(GeometricZeros::parse("shift:1e-6"), Ok(GeometricZeros::Shift(1e-6)));
        assert!(GeometricZeros::parse("shift:-1").is_err());
        assert!(GeometricZeros::parse("skip").is_err());
        let s: FactorSpec = serde_json::from_str(r#"{"geometric_zeros": "shift:0.001"}"#).unwrap();
        assert_eq!(s.geometric_zeros, GeometricZeros::Shift(0.001));
    }
}
