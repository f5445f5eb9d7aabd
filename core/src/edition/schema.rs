//! The edition file schema ([`EditionDef`] and its parts): what an edition file may say,
//! with serde names as written in `core/editions/*.toml`.

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
    /// `sum(w_i * x_i)` without dividing by the weights: weights are points (GODI's 5, 5,
    /// 5, 5, 15, 15, 10, 30, 10; ODB's checklist), so sums of integers stay exact.
    WeightedSum,
}

impl Aggregation {
    /// The accumulator before any child.
    #[inline]
    pub(crate) fn start(self) -> f64 {
        match self {
            Aggregation::WeightedMean => 0.0,
            Aggregation::WeightedGeometric => 1.0,
            Aggregation::WeightedSum => 0.0,
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
            Aggregation::WeightedMean | Aggregation::WeightedSum => acc + w * x,
            Aggregation::WeightedGeometric => acc * libm::pow(x + shift, w),
        }
    }
    /// The node value from the accumulator and the sum of the weights added, before the
    /// node's normalisation and range ([`Post`]): divided by that sum for means (exact at
    /// the ends: all ones give 1; relative weights need not sum to 1), as is for weighted
    /// sums; 0 if no weight. A shifted geometric mean subtracts `shift` again. Every kernel
    /// goes through `start`, `add`, `finish` and [`Post::apply`], so all give identical bits.
    #[inline]
    pub(crate) fn finish(self, acc: f64, wsum: f64, shift: f64) -> f64 {
        if wsum > 0.0 {
            match self {
                Aggregation::WeightedMean => acc / wsum,
                Aggregation::WeightedGeometric => libm::pow(acc, 1.0 / wsum) - shift,
                Aggregation::WeightedSum => acc,
            }
        } else {
            0.0
        }
    }
    /// Parses `arithmetic` / `weighted_mean` / `mean`, `geometric` / `weighted_geometric`
    /// and `sum` / `weighted_sum` (any case), the names users type in factor specifications.
    pub fn parse(text: &str) -> Option<Aggregation> {
        match text.trim().to_ascii_lowercase().as_str() {
            "arithmetic" | "weighted_mean" | "mean" | "amean" => Some(Aggregation::WeightedMean),
            "geometric" | "weighted_geometric" | "gmean" => Some(Aggregation::WeightedGeometric),
            "sum" | "weighted_sum" => Some(Aggregation::WeightedSum),
            _ => None,
        }
    }
    /// The short name (`arithmetic`, `geometric`, `sum`).
    pub fn name(self) -> &'static str {
        match self {
            Aggregation::WeightedMean => "arithmetic",
            Aggregation::WeightedGeometric => "geometric",
            Aggregation::WeightedSum => "sum",
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
    /// The range of the node's values (default [0, 1], every MGA node). Input outside it
    /// is an error; computed values are clamped to it. GODI and ODB report 0-100; ODB's
    /// z-scores are unbounded (`range = {}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range: Option<Range>,
    /// The children's weights are relative: any non-negative numbers with a positive sum
    /// (a mean divides by their sum), instead of fractions that sum to 1. Equal weights
    /// of 1 keep a mean of integers exact (GODI: the sum of 13 dataset scores over 13).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub relative_weights: bool,
    /// A normalisation applied to the aggregated value (z-score against reference
    /// statistics, or min-max over the scored population).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub normalize: Option<NormalizeDef>,
    /// For items answered in words: the answer map (a key of [`EditionDef::answers`])
    /// that turns an answer into a value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answers: Option<String>,
    /// Column names this node takes in grouped long input ([`InputDef::group`]), relative
    /// to its parent (ODB's `aExists` for `odb.d1.a`); its last id segment always works.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub group_columns: Vec<String>,
}

impl NodeDef {
    /// Whether the children's weights need not sum to 1: relative weights of a mean, or
    /// the points of a weighted sum.
    pub fn weights_are_relative(&self) -> bool {
        self.relative_weights || self.aggregation == Aggregation::WeightedSum
    }
}

/// The range of a node's values; a bound left out is unbounded.
#[derive(Clone, Copy, Debug, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Range {
    /// Lowest value (none: unbounded below).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    /// Highest value (none: unbounded above).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
}

impl Range {
    /// [0, 1], the default of every node.
    pub const UNIT: Range = Range {
        min: Some(0.0),
        max: Some(1.0),
    };
    /// The bounds, infinite where unbounded.
    pub fn bounds(&self) -> (f64, f64) {
        (self.min.unwrap_or(f64::NEG_INFINITY), self.max.unwrap_or(f64::INFINITY))
    }
}

/// How a node's aggregated value is normalised.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NormalizeMethod {
    /// `(x - mean) / sd` with reference statistics given in the edition (ODB: the 2013
    /// sample mean and SD).
    ZScore,
    /// `(x - min) / (max - min) * scale` with min and max over the scored population
    /// (ODB's 0-100 scaled scores). Undefined (an error) when every value is equal.
    MinMax,
}

/// A node's normalisation, with its constants and their provenance.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NormalizeDef {
    /// The method.
    pub method: NormalizeMethod,
    /// Reference mean (z-score).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mean: Option<f64>,
    /// Reference standard deviation (z-score), > 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sd: Option<f64>,
    /// Scale of the rescaled value (min-max; default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale: Option<f64>,
    /// Provenance.
    pub tag: Tag,
    /// Source of the method and constants.
    pub source: String,
}

/// An answer map: the value of each answer an item may take (GODI: `Yes` 1, `No` 0,
/// `Unsure` 0). Answers match ignoring case and surrounding spaces; any other answer is
/// an error naming the place, item and value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerMapDef {
    /// Answer -> value.
    pub values: BTreeMap<String, f64>,
    /// Provenance.
    pub tag: Tag,
    /// Source.
    pub source: String,
}

/// How the publisher rounds before ranking: ranks are competition ranks (1, 2, 2, 4) of
/// the root value rounded half up to `digits` decimals (GODI: whole numbers). Scores keep
/// full precision.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RankingDef {
    /// Decimals kept before ranking (none: rank on full precision).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub round_digits: Option<u8>,
    /// Provenance.
    pub tag: Tag,
    /// Source.
    pub source: String,
}

/// Column roles of an instrument's own files (GODI's entries file, ODB's datasets file).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InputDef {
    /// Column holding the unit id (GODI `place`, ODB `ISO2`). Ids are text as written:
    /// `NA` is Namibia, not a not-applicable marker.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Column holding the unit name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Grouped long input: the column naming a node (id or alias: GODI `dataset`, ODB
    /// `Variable`); each other column of the row names one of that node's children.
    /// Columns that name no child (GODI's `score`, `format`...) are ignored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Source or rationale.
    #[serde(default)]
    pub source: String,
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
/// score at most 0 (a negative score, ODB's -5 for outdated data, stands) (reported as an error, or forced to 0, per [`GateMode`](crate::GateMode)).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GateDef {
    /// Identifier.
    pub id: String,
    /// Labels.
    pub label: Label,
    /// The gating item.
    pub when: String,
    /// Condition on the value of `when` that opens the gate (give this or `closes_on`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opens_when: Option<GateOpensWhen>,
    /// Answers of `when` (an answered item) that close the gate (GODI: `exists = No`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub closes_on: Vec<String>,
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

/// An edition file, as written (the schema of `core/editions/*.toml`).
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
    /// Answer maps for items answered in words, by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub answers: BTreeMap<String, AnswerMapDef>,
    /// Repeated subtrees, instantiated under each of their parents when the edition loads.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub templates: Vec<TemplateDef>,
    /// How the publisher ranks (rounding first), if not on full precision.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ranking: Option<RankingDef>,
    /// Column roles of the instrument's own files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<InputDef>,
}

/// A repeated subtree: `nodes`, `children` and `gates` written once with ids relative to
/// a parent, instantiated under each of `parents` (GODI's nine questions under each of
/// its datasets): node `exists` under `godi.budget` becomes `godi.budget.exists`. Each
/// parent takes the template's aggregation, weights and range; it must not list children.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TemplateDef {
    /// Identifier.
    pub id: String,
    /// The nodes it is instantiated under.
    pub parents: Vec<String>,
    /// Aggregation of each parent.
    #[serde(default)]
    pub aggregation: Aggregation,
    /// Whether each parent's weights are relative (see [`NodeDef::relative_weights`]).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub relative_weights: bool,
    /// Range of each parent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range: Option<Range>,
    /// Each parent's children (relative ids).
    pub children: Vec<ChildDef>,
    /// The nodes (relative ids); their children, if any, are relative too.
    pub nodes: Vec<NodeDef>,
    /// Gates (relative ids; each instance's gate id is prefixed with the parent id).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gates: Vec<GateDef>,
    /// Provenance.
    pub tag: Tag,
    /// Source.
    pub source: String,
}
