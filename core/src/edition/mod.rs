//! Editions: the methodology as data.
//!
//! **Owns** what a method says, independent of any data: the edition file schema
//! ([`schema`]: [`EditionDef`], TOML or JSON), its validation and compilation into an
//! index tree ([`validate`], [`tree`]), the named settings every open choice becomes
//! ([`settings`]: [`Settings`], [`Options`]), the item scorers an edition declares
//! ([`celeridad`]), the working-day rule they count with ([`calendar`]), and the shipped
//! editions (`core/editions/*.toml`, compiled to JSON by the build script and embedded).
//! [`Edition::from_json_str`] and (feature `toml`) `Edition::from_toml_str` parse and validate
//! one; [`Edition::load`] returns a shipped edition.
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

// `SHIPPED` (`(id, minified JSON)`) and, for tests, `SHIPPED_TOML` (`(id, TOML text)`):
// build.rs compiles `core/editions/*.toml` to JSON, so the shipped editions load without a
// TOML parser.
include!(concat!(env!("OUT_DIR"), "/shipped_editions.rs"));

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
        let def: EditionDef = serde_json::from_str(text).map_err(|e| err(id, EditionProblem::Parse(e.to_string())))?;
        Self::from_def(def)
    }

    /// Every shipped edition, in order.
    pub fn shipped() -> Vec<Edition> {
        SHIPPED
            .iter()
            .map(|(id, _)| Self::load(id).expect("shipped editions are validated by tests"))
            .collect()
    }

    /// Parses and validates an edition written in TOML (feature `toml`; JSON editions need
    /// no feature).
    #[cfg(feature = "toml")]
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
    /// Without the `toml` feature, TOML text is an `edition_parse` error saying so.
    pub fn from_str_auto(text: &str) -> Result<Edition, EditionError> {
        if text.trim_start().starts_with('{') {
            return Self::from_json_str(text);
        }
        #[cfg(feature = "toml")]
        return Self::from_toml_str(text);
        #[cfg(not(feature = "toml"))]
        Err(err(
            &guess_id(text),
            EditionProblem::Parse(
                "not JSON (it does not start with `{`), and this build reads no TOML (apertura's `toml` feature is off)"
                    .to_string(),
            ),
        ))
    }

    /// Serialises back to TOML (loading the result gives an identical edition; feature `toml`).
    #[cfg(feature = "toml")]
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
    #[cfg(feature = "toml")]
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_edition_loads() {
        let ids = Edition::shipped_ids();
        assert_eq!(ids.len(), SHIPPED.len());
        for (e, id) in Edition::shipped().iter().zip(&ids) {
            assert_eq!(e.id(), *id);
        }
        assert_eq!(Edition::load("MGA-2017").unwrap().id(), "mga-2017");
        assert_eq!(Edition::load("mga-2018").unwrap_err().code(), "unknown_edition");
    }

    /// The JSON build.rs embeds deserialises to the same definition, bit for bit, as the TOML
    /// it was compiled from: equal as values, and equal when written back (which tells -0.0
    /// from 0.0, that `==` does not).
    #[test]
    #[cfg(feature = "toml")]
    fn embedded_editions_equal_their_toml() {
        assert_eq!(
            SHIPPED.iter().map(|(id, _)| id).collect::<Vec<_>>(),
            SHIPPED_TOML.iter().map(|(id, _)| id).collect::<Vec<_>>()
        );
        for ((id, json), (_, text)) in SHIPPED.iter().zip(SHIPPED_TOML) {
            let from_toml: EditionDef = toml::from_str(text).unwrap_or_else(|e| panic!("{id}: {e}"));
            let embedded: EditionDef = serde_json::from_str(json).unwrap_or_else(|e| panic!("{id}: {e}"));
            assert_eq!(embedded, from_toml, "{id}");
            assert_eq!(
                serde_json::to_string(&embedded).unwrap(),
                serde_json::to_string(&from_toml).unwrap(),
                "{id}"
            );
            let loaded = Edition::load(id).unwrap();
            assert_eq!(loaded.def(), &from_toml, "{id}");
            assert_eq!(
                Edition::from_toml_str(text).unwrap().expanded(),
                loaded.expanded(),
                "{id}"
            );
        }
    }

    /// The embedded form is smaller than the files it comes from (it is what a binary carries).
    #[test]
    #[cfg(feature = "toml")]
    fn embedded_editions_are_compact() {
        let json: usize = SHIPPED.iter().map(|(_, t)| t.len()).sum();
        let toml: usize = SHIPPED_TOML.iter().map(|(_, t)| t.len()).sum();
        assert!(json < toml, "{json} bytes of JSON for {toml} of TOML");
    }

    #[test]
    fn json_editions_load_and_auto_detects() {
        let e = Edition::load("mga-2019").unwrap();
        let again = Edition::from_str_auto(&e.to_json_string()).unwrap();
        assert_eq!(again.def(), e.def());
        let e = Edition::from_json_str("{\"id\": \"x\"}").unwrap_err();
        assert_eq!((e.code(), e.edition.as_str()), ("edition_parse", "x"));
    }

    #[test]
    #[cfg(not(feature = "toml"))]
    fn toml_text_without_the_feature_is_a_clear_error() {
        let e = Edition::from_str_auto("id = \"mine\"\n").unwrap_err();
        assert_eq!(e.code(), "edition_parse");
        assert!(e.to_string().contains("`toml` feature"), "{e}");
    }
}
