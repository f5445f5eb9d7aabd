//! The edition file schema ([`EditionDef`] and its parts): what an edition file may say,
//! with serde names as written in `data/editions/*.toml`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::edition::celeridad::CeleridadScorer;
use crate::edition::settings::SettingsDef;

/// Tolerance on the sum of a node's child weights.
pub const WEIGHT_SUM_TOLERANCE: f64 = 1e-9;

/// How strongly a claim is sourced, as in the methodology note.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Tag {
    /// Verbatim from a primary source.
    #[serde(rename = "V")]
    Verbatim,
    /// Computed from published data.
    #[serde(rename = "D")]
    Data,
    /// From the press or another secondary source.
    #[serde(rename = "N")]
    Press,
    /// An inference, not stated by any source.
    #[serde(rename = "I")]
    Inference,
    /// Unknown: a choice made by apertura where no source was found.
    #[serde(rename = "?")]
    Unknown,
}

impl Tag {
    /// All tags, strongest first.
    pub const ALL: [Tag; 5] = [Tag::Verbatim, Tag::Data, Tag::Press, Tag::Inference, Tag::Unknown];
    /// The one-letter symbol used in files (`V`, `D`, `N`, `I`, `?`).
    pub fn symbol(self) -> &'static str {
        match self {
            Tag::Verbatim => "V",
            Tag::Data => "D",
            Tag::Press => "N",
            Tag::Inference => "I",
            Tag::Unknown => "?",
        }
    }
}

/// A label in Spanish and English.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Label {
    /// Spanish.
    pub es: String,
    /// English.
    pub en: String,
}

/// Whether an edition is fully sourced or partly assumed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EditionStatus {
    /// Structure and weights from primary sources, validated against published data.
    Verified,
    /// Some structure or weights assumed; do not present results as official.
    Provisional,
}

/// The level of a node in the tree.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NodeLevel {
    /// The Open Government Index (root).
    Index,
    /// Transparency or participation.
    Dimension,
    /// Government (supply) or citizen (demand) perspective of a dimension.
    Perspective,
    /// A component ("tema") that has children.
    Component,
    /// A leaf: an item scored from observations.
    Item,
}

/// How a node combines its children.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Aggregation {
    /// `sum(w_i * x_i)` with weights summing to 1 (every MGA formula).
    #[default]
    WeightedMean,
    /// `prod(x_i ^ w_i)`: a non-compensatory alternative, for robustness analysis.
    WeightedGeometric,
}

impl Aggregation {
    /// The accumulator before any child.
    #[inline]
    pub(crate) fn start(self) -> f64 {
        match self {
            Aggregation::WeightedMean => 0.0,
            Aggregation::WeightedGeometric => 1.0,
        }
    }
    /// Adds child value `x` with weight `w` to the accumulator. `shift` is the geometric
    /// zero policy (robustness analysis): a geometric mean of `x + shift` (0 everywhere
    /// else, which gives the plain geometric mean bit for bit); arithmetic means ignore it.
    /// Powers go through the `libm` crate, the same code natively and in WebAssembly, so
    /// every surface gets identical bits.
    #[inline]
    pub(crate) fn add(self, acc: f64, w: f64, x: f64, shift: f64) -> f64 {
        match self {
            Aggregation::WeightedMean => acc + w * x,
            Aggregation::WeightedGeometric => acc * libm::pow(x + shift, w),
        }
    }
    /// The node value from the accumulator and the sum of the weights added, divided by
    /// that sum (exact at the ends: all ones give 1) and clamped to [0, 1]; 0 if no weight.
    /// A shifted geometric mean subtracts `shift` again before clamping. Every kernel goes
    /// through these three steps, so all give identical bits.
    #[inline]
    pub(crate) fn finish(self, acc: f64, wsum: f64, shift: f64) -> f64 {
        if wsum > 0.0 {
            match self {
                Aggregation::WeightedMean => acc / wsum,
                Aggregation::WeightedGeometric => libm::pow(acc, 1.0 / wsum) - shift,
            }
            .clamp(0.0, 1.0)
        } else {
            0.0
        }
    }
    /// Parses `arithmetic` / `weighted_mean` / `mean` and `geometric` /
    /// `weighted_geometric` (any case), the names users type in factor specifications.
    pub fn parse(text: &str) -> Option<Aggregation> {
        match text.trim().to_ascii_lowercase().as_str() {
            "arithmetic" | "weighted_mean" | "mean" | "amean" => Some(Aggregation::WeightedMean),
            "geometric" | "weighted_geometric" | "gmean" => Some(Aggregation::WeightedGeometric),
            _ => None,
        }
    }
    /// The short name (`arithmetic`, `geometric`).
    pub fn name(self) -> &'static str {
        match self {
            Aggregation::WeightedMean => "arithmetic",
            Aggregation::WeightedGeometric => "geometric",
        }
    }
}

/// A child of a node, with its weight and the weight's provenance.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChildDef {
    /// Child node id.
    pub id: String,
    /// Weight within the parent, in [0, 1]; a parent's weights sum to 1.
    pub weight: f64,
    /// Provenance of the weight.
    pub tag: Tag,
    /// Where the weight comes from.
    pub source: String,
}

/// A node of the tree.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NodeDef {
    /// Identifier users type as a column name (`iga`, `tg`, `tg.ai`...).
    pub id: String,
    /// Short code as printed in the source (`GA`, `AI`, `Cel`...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Other column names that mean this node (matched case-insensitively, like the id),
    /// e.g. `GA` for `iga` in the published 2017 file.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Labels.
    pub label: Label,
    /// Level in the tree.
    pub level: NodeLevel,
    /// Aggregation of the children (ignored for items).
    #[serde(default)]
    pub aggregation: Aggregation,
    /// Children with weights (empty for items).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<ChildDef>,
    /// Provenance of the node itself (its existence and formula).
    pub tag: Tag,
    /// Where the node and its formula come from.
    pub source: String,
    /// Free text: what the item measures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// When a gate is open.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GateOpensWhen {
    /// The gating item is above 0.
    Positive,
    /// The gating item is 1.
    Full,
}

/// A gating rule: while item `when` does not open the gate, every item in `gated` must
/// score 0 (reported as an error, or forced to 0, per [`GateMode`](crate::GateMode)).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GateDef {
    /// Identifier.
    pub id: String,
    /// Labels.
    pub label: Label,
    /// The gating item.
    pub when: String,
    /// Condition on `when` that opens the gate.
    pub opens_when: GateOpensWhen,
    /// Items that score 0 while the gate is closed.
    pub gated: Vec<String>,
    /// Provenance.
    pub tag: Tag,
    /// Source.
    pub source: String,
}

/// A named item scorer variant, with provenance.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScorerDef {
    /// The scorer and its parameters.
    pub scorer: CeleridadScorer,
    /// Provenance.
    pub tag: Tag,
    /// Source or rationale.
    pub source: String,
}

/// Which items request-level observations feed (see [`crate::requests`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestMapping {
    /// Items fed by simulated information requests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub information: Option<InformationItems>,
    /// Items fed by simulated participation proposals.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participation: Option<ParticipationItems>,
}

/// Item ids fed by information requests.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InformationItems {
    /// Availability ("disponibilidad").
    pub disponibilidad: String,
    /// Clarity ("claridad").
    pub claridad: String,
    /// Completeness ("completitud").
    pub completitud: String,
    /// Speed ("celeridad").
    pub celeridad: String,
}

/// Item ids fed by participation proposals.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParticipationItems {
    /// Contact method ("método").
    pub metodo: String,
    /// Acknowledgement ("recepción").
    pub recepcion: String,
    /// Activation ("activación").
    pub activacion: String,
    /// Speed ("celeridad").
    pub celeridad: String,
}

/// An edition file, as written (the schema of `data/editions/*.toml`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EditionDef {
    /// Identifier, e.g. `mga-2017`.
    pub id: String,
    /// Labels.
    pub label: Label,
    /// Year of publication (editions are named by it).
    pub publication_year: u16,
    /// Year of fieldwork, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fieldwork_year: Option<u16>,
    /// Who produced it.
    pub producer: String,
    /// Verified or provisional.
    pub status: EditionStatus,
    /// Free-text notes on what is verified and what is assumed.
    #[serde(default)]
    pub notes: String,
    /// Source ids used in `source` fields, with their citations.
    #[serde(default)]
    pub sources: BTreeMap<String, String>,
    /// Root node id.
    pub root: String,
    /// Nodes.
    pub nodes: Vec<NodeDef>,
    /// Gating rules, applied in order.
    #[serde(default)]
    pub gates: Vec<GateDef>,
    /// Item scorers: setting name -> variant name -> scorer.
    #[serde(default)]
    pub scorers: BTreeMap<String, BTreeMap<String, ScorerDef>>,
    /// Request-level mapping, if the edition has item-level citizen-perspective items.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requests: Option<RequestMapping>,
    /// Default settings with provenance.
    pub settings: SettingsDef,
}
