//! `apertura.Edition` and `apertura.editions()`.

use std::path::PathBuf;

use pyo3::prelude::*;
use pythonize::pythonize;

use crate::error::call;

/// A methodology edition (tree, weights, gates, scorers, default settings), validated.
///
/// Example:
///     >>> import apertura
///     >>> e = apertura.Edition.load("mga-2017")
///     >>> e.id
///     'mga-2017'
#[pyclass(frozen, module = "apertura._apertura", name = "Edition")]
pub struct PyEdition {
    pub inner: apertura::Edition,
}

#[pymethods]
impl PyEdition {
    /// A shipped edition by id (``mga-2017``, ``mga-2019``, ``mga-2021``, ``mga-2023``,
    /// ``godi-2013``, ``godi-2014``, ``godi-2015``, ``odb-2014``...: ``apertura.editions()``).
    ///
    /// Raises ``EditionError`` (code ``unknown_edition``) for an unknown id.
    ///
    /// Example:
    ///     >>> apertura.Edition.load("mga-2017").summary()["status"]
    ///     'verified'
    #[staticmethod]
    fn load(py: Python<'_>, id: &str) -> PyResult<Self> {
        call(py, || {
            Ok(PyEdition {
                inner: apertura::Edition::load(id)?,
            })
        })
    }

    /// Parses and validates an edition written in TOML or JSON (``{`` first means JSON).
    ///
    /// Raises ``EditionError`` if the text is malformed or inconsistent.
    ///
    /// Example:
    ///     >>> text = apertura.Edition.load("mga-2017").to_toml()
    ///     >>> apertura.Edition.from_str(text).id
    ///     'mga-2017'
    #[staticmethod]
    fn from_str(py: Python<'_>, text: &str) -> PyResult<Self> {
        call(py, || {
            Ok(PyEdition {
                inner: apertura::Edition::from_str_auto(text)?,
            })
        })
    }

    /// Reads an edition file (TOML or JSON).
    ///
    /// Raises ``OSError`` if the file cannot be read, ``EditionError`` if it is malformed.
    ///
    /// Example:
    ///     >>> apertura.Edition.from_file("core/editions/mga-2017.toml").id  # doctest: +SKIP
    ///     'mga-2017'
    #[staticmethod]
    fn from_file(py: Python<'_>, path: PathBuf) -> PyResult<Self> {
        let bytes = std::fs::read(&path)?;
        let text = String::from_utf8_lossy(&bytes);
        call(py, || {
            Ok(PyEdition {
                inner: apertura::Edition::from_str_auto(&text)?,
            })
        })
    }

    /// Edition id, e.g. ``'mga-2017'``.
    #[getter]
    fn id(&self) -> &str {
        self.inner.id()
    }

    /// Root node id (``'iga'``).
    #[getter]
    fn root(&self) -> &str {
        self.inner.root_id()
    }

    /// Node ids in evaluation order (children before parents; the root last).
    ///
    /// Example:
    ///     >>> apertura.Edition.load("mga-2017").node_ids()[-1]
    ///     'iga'
    fn node_ids(&self) -> Vec<String> {
        self.inner.node_ids().to_vec()
    }

    /// Ids of the leaf items, in evaluation order.
    ///
    /// Example:
    ///     >>> len(apertura.Edition.load("mga-2017").item_ids())
    ///     17
    fn item_ids(&self) -> Vec<String> {
        self.inner.item_ids().into_iter().map(str::to_string).collect()
    }

    /// The tree in display order (breadth-first from the root): one dict per node with
    /// ``id, parent, level, depth, label_es, label_en, weight, effective_weight, tag, source``.
    ///
    /// Example:
    ///     >>> rows = apertura.Edition.load("mga-2017").tree()
    ///     >>> [(r["id"], r["weight"], r["tag"]) for r in rows[:3]]
    ///     [('iga', 1.0, 'V'), ('t', 0.5, 'V'), ('p', 0.5, 'V')]
    fn tree<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(pythonize(py, &self.inner.tree_rows())?)
    }

    /// One-line summary: ``id, label, publication_year, status, nodes, items, provenance``
    /// (count of weights, rules and settings per provenance tag ``V D N I ?``).
    ///
    /// Example:
    ///     >>> apertura.Edition.load("mga-2017").summary()["items"]
    ///     17
    fn summary<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(pythonize(py, &self.inner.summary())?)
    }

    /// The edition as TOML (loading it back gives the same edition).
    ///
    /// Example:
    ///     >>> apertura.Edition.load("mga-2017").to_toml().startswith("id")
    ///     True
    fn to_toml(&self) -> String {
        self.inner.to_toml_string()
    }

    /// The edition as pretty JSON.
    ///
    /// Example:
    ///     >>> apertura.Edition.load("mga-2017").to_json()[:1]
    ///     '{'
    fn to_json(&self) -> String {
        self.inner.to_json_string()
    }

    fn __repr__(&self) -> String {
        format!("<apertura.Edition {:?} ({:?})>", self.inner.id(), self.inner.status())
    }
}

/// Every shipped edition with its provenance summary (one dict per edition:
/// ``id, label, publication_year, status, nodes, items, provenance``).
///
/// Example:
///     >>> [e["id"] for e in apertura.editions()][:5]
///     ['mga-2017', 'mga-2019', 'mga-2021', 'mga-2023', 'godi-2015']
#[pyfunction]
pub fn editions(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    let list = call(py, || Ok(apertura::editions()))?;
    Ok(pythonize(py, &list)?)
}
