//! Editions: the methodology as data.
//!
//! **Owns** what a method says, independent of any data: the edition file schema
//! ([`schema`]: [`EditionDef`], TOML or JSON), its validation and compilation into an
//! index tree ([`validate`], [`tree`]), the named settings every open choice becomes
//! ([`settings`]: [`Settings`], [`Options`]), the item scorers an edition declares
//! ([`celeridad`]), the working-day rule they count with ([`calendar`]), and the shipped
//! editions (embedded from `core/editions/`). [`Edition::from_toml_str`] /
//! [`Edition::from_json_str`] parse and validate one; [`Edition::load`] returns a shipped
//! edition.
//!
//! **Uses** only [`crate::error`]. Everything else in the crate builds on this module;
//! nothing here knows about data, scores or bindings.

pub mod calendar;
pub mod celeridad;
pub mod date;
pub mod schema;
pub mod settings;
mod template;
pub mod tree;
pub mod validate;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use schema::{
    Aggregation, AnswerMapDef, ChildDef, EditionDef, EditionStatus, GateDef, GateOpensWhen, InformationItems, InputDef,
    Label, NodeDef, NodeLevel, NormalizeDef, NormalizeMethod, ParticipationItems, Range, RankingDef, RequestMapping,
    ScorerDef, Tag, TemplateDef, WEIGHT_SUM_TOLERANCE,
};
pub use settings::{
    GateMode, Incomplete, MismatchPolicy, NationalMean, NotApplicablePolicy, Options, Setting, Settings, SettingsDef,
    UnansweredRequest,
};
pub(crate) use tree::Tree;
pub use tree::TreeRow;

use crate::error::{EditionError, EditionProblem};
use validate::{compile, err};

/// Shipped editions: `(id, TOML text)`, embedded at compile time.
const SHIPPED: &[(&str, &str)] = &[
    ("mga-2017", include_str!("../../editions/mga-2017.toml")),
    ("mga-2019", include_str!("../../editions/mga-2019.toml")),
    ("mga-2021", include_str!("../../editions/mga-2021.toml")),
    ("mga-2023", include_str!("../../editions/mga-2023.toml")),
    ("godi-2015", include_str!("../../editions/godi-2015.toml")),
    ("godi-2014", include_str!("../../editions/godi-2014.toml")),
    ("godi-2013", include_str!("../../editions/godi-2013.toml")),
    ("odb-2014", include_str!("../../editions/odb-2014.toml")),
    (
        "oecd-ourdata-2019",
        include_str!("../../editions/oecd-ourdata-2019.toml"),
    ),
    (
        "oecd-ourdata-2023",
        include_str!("../../editions/oecd-ourdata-2023.toml"),
    ),
    ("oecd-dgi-2019", include_str!("../../editions/oecd-dgi-2019.toml")),
];

/// A validated edition, with its tree compiled into index form.
///
/// Nodes are numbered in post-order (every child before its parent; the root last), so a
/// single forward pass over the node array evaluates the tree.
#[derive(Clone, Debug)]
pub struct Edition {
    /// As written (templates not expanded): what is serialised back.
    def: EditionDef,
    /// Templates instantiated: what the tree is compiled from.
    full: EditionDef,
    pub(crate) tree: Tree,
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
        let full = template::expand(&def)?;
        let tree = compile(&full)?;
        let edition = Edition { def, full, tree };
        // Settings must resolve (variants exist, values in range).
        Settings::from_edition(&edition)?;
        Ok(edition)
    }

    /// The definition as written.
    pub fn def(&self) -> &EditionDef {
        &self.def
    }

    /// The definition with every template instantiated (the same as [`Edition::def`]
    /// when there are none): every node and gate the tree has.
    pub fn expanded(&self) -> &EditionDef {
        &self.full
    }

    /// Column roles of the instrument's own files, if the edition declares them.
    pub fn input(&self) -> Option<&InputDef> {
        self.full.input.as_ref()
    }

    /// The range of a node's values (`[0, 1]` unless the edition says otherwise).
    pub fn range(&self, id: &str) -> Option<Range> {
        self.node(id).map(|n| n.range.unwrap_or(Range::UNIT))
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
            .map(|&i| &self.full.nodes[self.tree.def_index[i]])
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
    /// Weight of a node within its parent (1 for the root), as a fraction of its siblings'
    /// total (relative weights and points are divided by their sum).
    pub fn local_weight(&self, id: &str) -> Option<f64> {
        let i = *self.tree.index.get(id)?;
        Some(if i == self.tree.root {
            1.0
        } else {
            self.tree.normalized_weight(self.tree.slot_of[i])
        })
    }
    /// Effective weight of a node in the index: the product of weights along its path to
    /// the root (meaningful for weighted-mean aggregation).
    pub fn effective_weight(&self, id: &str) -> Option<f64> {
        let mut i = *self.tree.index.get(id)?;
        let mut w = 1.0;
        while let Some(p) = self.tree.parent[i] {
            w *= self.tree.normalized_weight(self.tree.slot_of[i]);
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
            let d = &self.full.nodes[self.tree.def_index[i]];
            d.id.eq_ignore_ascii_case(h) || d.aliases.iter().any(|a| a.eq_ignore_ascii_case(h))
        })
    }
    /// Number of weights, settings and rules per provenance tag, counted as written (a
    /// template's claims once).
    pub fn provenance_counts(&self) -> BTreeMap<Tag, usize> {
        let mut counts: BTreeMap<Tag, usize> = Tag::ALL.iter().map(|t| (*t, 0)).collect();
        let mut add = |t: Tag| *counts.entry(t).or_default() += 1;
        // As written: a template's claims count once, not once per instance.
        let nodes = self
            .def
            .nodes
            .iter()
            .chain(self.def.templates.iter().flat_map(|t| &t.nodes));
        for n in nodes {
            add(n.tag);
            n.children.iter().for_each(|c| add(c.tag));
            n.normalize.iter().for_each(|z| add(z.tag));
        }
        for t in &self.def.templates {
            add(t.tag);
            t.children.iter().for_each(|c| add(c.tag));
            t.gates.iter().for_each(|g| add(g.tag));
        }
        self.def.gates.iter().for_each(|g| add(g.tag));
        self.def.answers.values().for_each(|a| add(a.tag));
        self.def.ranking.iter().for_each(|r| add(r.tag));
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

/// Summaries of every shipped edition.
pub fn editions() -> Vec<EditionSummary> {
    Edition::shipped().iter().map(Edition::summary).collect()
}
