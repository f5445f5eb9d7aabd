//! Editions: the MGA methodology as data.
//!
//! An edition file (TOML or JSON, one schema: [`EditionDef`]) states the tree
//! (index -> dimensions -> perspectives -> components/items) with Spanish and English
//! labels, the weights and aggregation of every node, the gating rules, the item scorers
//! and the default [settings](crate::Settings), each with a provenance [`Tag`] and a source
//! note. [`Edition::from_toml_str`] / [`Edition::from_json_str`] parse and validate one;
//! [`Edition::load`] returns a shipped edition (embedded in the crate from `data/editions/`).

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::celeridad::CeleridadScorer;
use crate::error::{EditionError, EditionProblem};
use crate::settings::{Settings, SettingsDef};

/// Shipped editions: `(id, TOML text)`, embedded at compile time.
const SHIPPED: &[(&str, &str)] = &[
    ("mga-2017", include_str!("../../data/editions/mga-2017.toml")),
    ("mga-2019", include_str!("../../data/editions/mga-2019.toml")),
    ("mga-2021", include_str!("../../data/editions/mga-2021.toml")),
    ("mga-2023", include_str!("../../data/editions/mga-2023.toml")),
];

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
    /// Adds child value `x` with weight `w` to the accumulator.
    #[inline]
    pub(crate) fn add(self, acc: f64, w: f64, x: f64) -> f64 {
        match self {
            Aggregation::WeightedMean => acc + w * x,
            Aggregation::WeightedGeometric => acc * x.powf(w),
        }
    }
    /// The node value from the accumulator and the sum of the weights added, divided by
    /// that sum (exact at the ends: all ones give 1) and clamped to [0, 1]; 0 if no weight.
    /// Every kernel goes through these three steps, so all give identical bits.
    #[inline]
    pub(crate) fn finish(self, acc: f64, wsum: f64) -> f64 {
        if wsum > 0.0 {
            match self {
                Aggregation::WeightedMean => acc / wsum,
                Aggregation::WeightedGeometric => acc.powf(1.0 / wsum),
            }
            .clamp(0.0, 1.0)
        } else {
            0.0
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

/// A validated edition, with its tree compiled into index form.
///
/// Nodes are numbered in post-order (every child before its parent; the root last), so a
/// single forward pass over the node array evaluates the tree.
#[derive(Clone, Debug)]
pub struct Edition {
    def: EditionDef,
    pub(crate) tree: Tree,
}

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

fn err(edition: &str, problem: EditionProblem) -> EditionError {
    EditionError {
        edition: edition.to_string(),
        problem,
    }
}

impl Edition {
    /// Ids of the editions shipped with the crate.
    pub fn shipped_ids() -> Vec<&'static str> {
        SHIPPED.iter().map(|(id, _)| *id).collect()
    }

    /// A shipped edition by id (`mga-2017`, `mga-2019`, `mga-2021`, `mga-2023`).
    ///
    /// ```
    /// let e = apertura::Edition::load("mga-2017").unwrap();
    /// assert_eq!(e.id(), "mga-2017");
    /// ```
    pub fn load(id: &str) -> Result<Edition, EditionError> {
        let text = SHIPPED
            .iter()
            .find(|(i, _)| i.eq_ignore_ascii_case(id))
            .map(|(_, t)| *t)
            .ok_or_else(|| {
                err(
                    id,
                    EditionProblem::UnknownEdition {
                        known: Self::shipped_ids().join(", "),
                    },
                )
            })?;
        Self::from_toml_str(text)
    }

    /// Every shipped edition, in order.
    pub fn shipped() -> Vec<Edition> {
        SHIPPED
            .iter()
            .map(|(id, _)| Self::load(id).expect("shipped editions are validated by tests"))
            .collect()
    }

    /// Parses and validates an edition written in TOML.
    pub fn from_toml_str(text: &str) -> Result<Edition, EditionError> {
        let def: EditionDef =
            toml::from_str(text).map_err(|e| err(&guess_id(text), EditionProblem::Parse(e.to_string())))?;
        Self::from_def(def)
    }

    /// Parses and validates an edition written in JSON (same schema as TOML).
    pub fn from_json_str(text: &str) -> Result<Edition, EditionError> {
        let def: EditionDef =
            serde_json::from_str(text).map_err(|e| err(&guess_id(text), EditionProblem::Parse(e.to_string())))?;
        Self::from_def(def)
    }

    /// Parses TOML or JSON, deciding by the first non-blank character (`{` means JSON).
    pub fn from_str_auto(text: &str) -> Result<Edition, EditionError> {
        if text.trim_start().starts_with('{') {
            Self::from_json_str(text)
        } else {
            Self::from_toml_str(text)
        }
    }

    /// Serialises back to TOML (loading the result gives an identical edition).
    pub fn to_toml_string(&self) -> String {
        toml::to_string(&self.def).expect("an edition always serialises to TOML")
    }

    /// Serialises to pretty JSON.
    pub fn to_json_string(&self) -> String {
        serde_json::to_string_pretty(&self.def).expect("an edition always serialises to JSON")
    }

    /// Validates a definition and compiles its tree.
    pub fn from_def(def: EditionDef) -> Result<Edition, EditionError> {
        let tree = compile(&def)?;
        let edition = Edition { def, tree };
        // Settings must resolve (variants exist, values in range).
        Settings::from_edition(&edition)?;
        Ok(edition)
    }

    /// The definition as written.
    pub fn def(&self) -> &EditionDef {
        &self.def
    }
    /// Identifier.
    pub fn id(&self) -> &str {
        &self.def.id
    }
    /// Verified or provisional.
    pub fn status(&self) -> EditionStatus {
        self.def.status
    }
    /// Node ids in evaluation order (post-order; root last).
    pub fn node_ids(&self) -> &[String] {
        &self.tree.ids
    }
    /// Ids of the leaf items, in evaluation order.
    pub fn item_ids(&self) -> Vec<&str> {
        (0..self.tree.ids.len())
            .filter(|&i| self.tree.is_leaf[i])
            .map(|i| self.tree.ids[i].as_str())
            .collect()
    }
    /// Root id (`iga`).
    pub fn root_id(&self) -> &str {
        &self.tree.ids[self.tree.root]
    }
    /// The definition of a node.
    pub fn node(&self, id: &str) -> Option<&NodeDef> {
        self.tree
            .index
            .get(id)
            .map(|&i| &self.def.nodes[self.tree.def_index[i]])
    }
    /// Index of a node in evaluation order.
    pub fn node_index(&self, id: &str) -> Option<usize> {
        self.tree.index.get(id).copied()
    }
    /// Parent id of a node.
    pub fn parent_id(&self, id: &str) -> Option<&str> {
        let i = *self.tree.index.get(id)?;
        self.tree.parent[i].map(|p| self.tree.ids[p].as_str())
    }
    /// Weight of a node within its parent (1 for the root).
    pub fn local_weight(&self, id: &str) -> Option<f64> {
        let i = *self.tree.index.get(id)?;
        Some(if i == self.tree.root {
            1.0
        } else {
            self.tree.weight[self.tree.slot_of[i]]
        })
    }
    /// Effective weight of a node in the index: the product of weights along its path to
    /// the root (meaningful for weighted-mean aggregation).
    pub fn effective_weight(&self, id: &str) -> Option<f64> {
        let mut i = *self.tree.index.get(id)?;
        let mut w = 1.0;
        while let Some(p) = self.tree.parent[i] {
            w *= self.tree.weight[self.tree.slot_of[i]];
            i = p;
        }
        Some(w)
    }
    /// The node a column header names: its id or one of its aliases, ignoring case and
    /// surrounding spaces.
    pub fn resolve_column(&self, header: &str) -> Option<usize> {
        let h = header.trim();
        if let Some(&i) = self.tree.index.get(h) {
            return Some(i);
        }
        (0..self.tree.ids.len()).find(|&i| {
            let d = &self.def.nodes[self.tree.def_index[i]];
            d.id.eq_ignore_ascii_case(h) || d.aliases.iter().any(|a| a.eq_ignore_ascii_case(h))
        })
    }
    /// Number of weights, settings and rules per provenance tag.
    pub fn provenance_counts(&self) -> BTreeMap<Tag, usize> {
        let mut counts: BTreeMap<Tag, usize> = Tag::ALL.iter().map(|t| (*t, 0)).collect();
        for n in &self.def.nodes {
            *counts.entry(n.tag).or_default() += 1;
            for c in &n.children {
                *counts.entry(c.tag).or_default() += 1;
            }
        }
        for g in &self.def.gates {
            *counts.entry(g.tag).or_default() += 1;
        }
        for variants in self.def.scorers.values() {
            for s in variants.values() {
                *counts.entry(s.tag).or_default() += 1;
            }
        }
        for tag in self.def.settings.tags() {
            *counts.entry(tag).or_default() += 1;
        }
        counts
    }
}

fn guess_id(text: &str) -> String {
    // Best effort, for error messages only: the `id` of a file that failed validation.
    if let Ok(serde_json::Value::Object(o)) = serde_json::from_str::<serde_json::Value>(text) {
        if let Some(serde_json::Value::String(id)) = o.get("id") {
            return id.clone();
        }
    }
    if let Ok(toml::Value::Table(t)) = toml::from_str::<toml::Value>(text) {
        if let Some(toml::Value::String(id)) = t.get("id") {
            return id.clone();
        }
    }
    "<unnamed>".to_string()
}

fn compile(def: &EditionDef) -> Result<Tree, EditionError> {
    let ed = def.id.as_str();
    if ed.trim().is_empty() {
        return Err(err(
            "<unnamed>",
            EditionProblem::BadSetting {
                setting: "id".into(),
                message: "edition id is empty".into(),
            },
        ));
    }
    let mut by_id: HashMap<&str, usize> = HashMap::new();
    for (i, n) in def.nodes.iter().enumerate() {
        if n.id.trim().is_empty() {
            return Err(err(
                ed,
                EditionProblem::BadShape {
                    node: n.id.clone(),
                    message: "empty node id".into(),
                },
            ));
        }
        if by_id.insert(n.id.as_str(), i).is_some() {
            return Err(err(ed, EditionProblem::DuplicateNode { node: n.id.clone() }));
        }
    }
    let root_def = *by_id.get(def.root.as_str()).ok_or_else(|| {
        err(
            ed,
            EditionProblem::UnknownNode {
                node: def.root.clone(),
                referenced_by: "root".into(),
            },
        )
    })?;
    // Parent links, shape and weights.
    let mut parent_def: Vec<Option<usize>> = vec![None; def.nodes.len()];
    for (i, n) in def.nodes.iter().enumerate() {
        if n.level == NodeLevel::Item && !n.children.is_empty() {
            return Err(err(
                ed,
                EditionProblem::BadShape {
                    node: n.id.clone(),
                    message: "an item cannot have children".into(),
                },
            ));
        }
        if n.level != NodeLevel::Item && n.children.is_empty() && n.level != NodeLevel::Component {
            return Err(err(
                ed,
                EditionProblem::BadShape {
                    node: n.id.clone(),
                    message: format!("a node of level {:?} needs children", n.level),
                },
            ));
        }
        let mut sum = 0.0;
        let mut seen = std::collections::HashSet::new();
        for c in &n.children {
            let ci = *by_id.get(c.id.as_str()).ok_or_else(|| {
                err(
                    ed,
                    EditionProblem::UnknownNode {
                        node: c.id.clone(),
                        referenced_by: format!("node {:?}", n.id),
                    },
                )
            })?;
            if !seen.insert(ci) {
                return Err(err(
                    ed,
                    EditionProblem::BadShape {
                        node: n.id.clone(),
                        message: format!("child {:?} listed twice", c.id),
                    },
                ));
            }
            if ci == i {
                return Err(err(
                    ed,
                    EditionProblem::Cycle {
                        path: format!("{} -> {}", n.id, n.id),
                    },
                ));
            }
            if !c.weight.is_finite() || c.weight < 0.0 {
                return Err(err(
                    ed,
                    EditionProblem::InvalidWeight {
                        node: n.id.clone(),
                        child: c.id.clone(),
                        weight: c.weight,
                    },
                ));
            }
            if let Some(p) = parent_def[ci] {
                return Err(err(
                    ed,
                    EditionProblem::SharedChild {
                        node: c.id.clone(),
                        first: def.nodes[p].id.clone(),
                        second: n.id.clone(),
                    },
                ));
            }
            parent_def[ci] = Some(i);
            sum += c.weight;
        }
        if !n.children.is_empty() && (sum - 1.0).abs() > WEIGHT_SUM_TOLERANCE {
            return Err(err(
                ed,
                EditionProblem::WeightSum {
                    node: n.id.clone(),
                    sum,
                },
            ));
        }
    }
    if let Some(p) = parent_def[root_def] {
        // The root has a parent: that is a cycle (the root is reachable from itself).
        let mut path = vec![def.nodes[root_def].id.clone()];
        let mut cur = Some(p);
        while let Some(c) = cur {
            path.push(def.nodes[c].id.clone());
            if c == root_def {
                break;
            }
            cur = parent_def[c];
            if path.len() > def.nodes.len() + 1 {
                break;
            }
        }
        path.reverse();
        return Err(err(
            ed,
            EditionProblem::Cycle {
                path: path.join(" -> "),
            },
        ));
    }
    // Post-order from the root, iteratively; detects unreachable nodes and cycles.
    let mut order: Vec<usize> = Vec::with_capacity(def.nodes.len());
    let mut state = vec![0u8; def.nodes.len()]; // 0 new, 1 open, 2 done
    let mut stack: Vec<(usize, usize)> = vec![(root_def, 0)];
    state[root_def] = 1;
    while let Some((node, next)) = stack.pop() {
        let kids = &def.nodes[node].children;
        if next < kids.len() {
            stack.push((node, next + 1));
            let c = by_id[kids[next].id.as_str()];
            match state[c] {
                0 => {
                    state[c] = 1;
                    stack.push((c, 0));
                }
                _ => {
                    return Err(err(
                        ed,
                        EditionProblem::Cycle {
                            path: format!("{} -> {}", def.nodes[node].id, def.nodes[c].id),
                        },
                    ))
                }
            }
        } else {
            state[node] = 2;
            order.push(node);
        }
    }
    if let Some(orphan) = (0..def.nodes.len()).find(|&i| state[i] == 0) {
        // An orphan whose parent chain loops is a cycle; otherwise unreachable.
        let mut cur = orphan;
        let mut seen = vec![cur];
        while let Some(p) = parent_def[cur] {
            if seen.contains(&p) {
                let names: Vec<String> = seen.iter().rev().map(|&i| def.nodes[i].id.clone()).collect();
                return Err(err(
                    ed,
                    EditionProblem::Cycle {
                        path: names.join(" -> "),
                    },
                ));
            }
            seen.push(p);
            cur = p;
        }
        return Err(err(
            ed,
            EditionProblem::Unreachable {
                node: def.nodes[orphan].id.clone(),
                root: def.root.clone(),
            },
        ));
    }
    let n = order.len();
    let mut pos_of_def = vec![0usize; def.nodes.len()];
    for (pos, &d) in order.iter().enumerate() {
        pos_of_def[d] = pos;
    }
    let ids: Vec<String> = order.iter().map(|&d| def.nodes[d].id.clone()).collect();
    let index: HashMap<String, usize> = ids.iter().enumerate().map(|(i, s)| (s.clone(), i)).collect();
    let mut child_start = Vec::with_capacity(n + 1);
    let mut child = Vec::new();
    let mut weight = Vec::new();
    let mut slot_of = vec![usize::MAX; n];
    let mut parent = vec![None; n];
    for (pos, &d) in order.iter().enumerate() {
        child_start.push(child.len());
        for c in &def.nodes[d].children {
            let cp = pos_of_def[by_id[c.id.as_str()]];
            slot_of[cp] = child.len();
            parent[cp] = Some(pos);
            child.push(cp);
            weight.push(c.weight);
        }
    }
    child_start.push(child.len());
    let is_leaf: Vec<bool> = order.iter().map(|&d| def.nodes[d].children.is_empty()).collect();
    let level: Vec<NodeLevel> = order.iter().map(|&d| def.nodes[d].level).collect();
    let aggregation: Vec<Aggregation> = order.iter().map(|&d| def.nodes[d].aggregation).collect();

    // Gates.
    let mut gates = Vec::new();
    let mut gated_so_far: Vec<usize> = Vec::new();
    let mut gate_ids = std::collections::HashSet::new();
    for g in &def.gates {
        if !gate_ids.insert(g.id.as_str()) {
            return Err(err(
                ed,
                EditionProblem::BadGate {
                    gate: g.id.clone(),
                    message: "duplicate gate id".into(),
                },
            ));
        }
        let lookup = |id: &str| -> Result<usize, EditionError> {
            let i = *index.get(id).ok_or_else(|| {
                err(
                    ed,
                    EditionProblem::UnknownNode {
                        node: id.to_string(),
                        referenced_by: format!("gate {:?}", g.id),
                    },
                )
            })?;
            if !is_leaf[i] {
                return Err(err(
                    ed,
                    EditionProblem::BadGate {
                        gate: g.id.clone(),
                        message: format!("{id:?} is not an item; gates act on items only"),
                    },
                ));
            }
            Ok(i)
        };
        let when = lookup(&g.when)?;
        if g.gated.is_empty() {
            return Err(err(
                ed,
                EditionProblem::BadGate {
                    gate: g.id.clone(),
                    message: "no gated items".into(),
                },
            ));
        }
        let mut gated = Vec::new();
        for id in &g.gated {
            let i = lookup(id)?;
            if i == when {
                return Err(err(
                    ed,
                    EditionProblem::BadGate {
                        gate: g.id.clone(),
                        message: format!("{id:?} gates itself"),
                    },
                ));
            }
            gated.push(i);
        }
        gated_so_far.extend(&gated);
        gates.push((when, g.opens_when, gated, g.id.clone()));
    }
    // Gates apply in order: a gate's trigger must not be gated by a later gate.
    for (k, (when, _, _, id)) in gates.iter().enumerate() {
        for (_, _, later, later_id) in gates.iter().skip(k + 1) {
            if later.contains(when) {
                return Err(err(
                    ed,
                    EditionProblem::BadGate {
                        gate: id.clone(),
                        message: format!(
                            "its item {:?} is gated by the later gate {:?}; list gates in dependency order",
                            ids[*when], later_id
                        ),
                    },
                ));
            }
        }
    }
    let def_index = order.clone();
    Ok(Tree {
        root: n - 1,
        ids,
        index,
        def_index,
        parent,
        child_start,
        child,
        weight,
        slot_of,
        aggregation,
        is_leaf,
        level,
        gates,
    })
}

/// One-line summary of a shipped or loaded edition, for listings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EditionSummary {
    /// Identifier.
    pub id: String,
    /// English label.
    pub label: String,
    /// Spanish label.
    pub label_es: String,
    /// Publication year.
    pub publication_year: u16,
    /// Verified or provisional.
    pub status: EditionStatus,
    /// Number of nodes.
    pub nodes: usize,
    /// Number of leaf items.
    pub items: usize,
    /// Count of weights, rules and settings per provenance tag symbol.
    pub provenance: BTreeMap<String, usize>,
}

impl Edition {
    /// A listing summary.
    pub fn summary(&self) -> EditionSummary {
        EditionSummary {
            id: self.def.id.clone(),
            label: self.def.label.en.clone(),
            label_es: self.def.label.es.clone(),
            publication_year: self.def.publication_year,
            status: self.def.status,
            nodes: self.tree.ids.len(),
            items: self.tree.is_leaf.iter().filter(|l| **l).count(),
            provenance: self
                .provenance_counts()
                .into_iter()
                .map(|(t, n)| (t.symbol().to_string(), n))
                .collect(),
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

/// Summaries of every shipped edition.
pub fn editions() -> Vec<EditionSummary> {
    Edition::shipped().iter().map(Edition::summary).collect()
}
