//! Plans and scores (core `scoring`): convert, call the core, convert back. Numeric
//! results cross as numpy arrays.

use numpy::{PyArray1, PyArrayMethods};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple};
use pythonize::{depythonize, pythonize};

use crate::edition::PyEdition;
use crate::error::{call, guard, to_py, usage};
use crate::input::{PyDataset, TextColumn};

/// Weights as given: ``{node: weight}`` (slider semantics, applied in key order) or one
/// weight per slot.
#[derive(FromPyObject)]
pub enum Weights {
    /// Per-slot weights (`Plan::set_weights`).
    Slots(Vec<f64>),
    /// `(node, weight)` pairs (`Plan::set_weight`, in order).
    Nodes(Vec<(String, f64)>),
}

/// An edition compiled with options and weights (opaque; built by ``apertura``).
#[pyclass(frozen, module = "apertura._apertura", name = "Plan")]
pub struct PyPlan {
    pub inner: apertura::Plan,
}

#[pymethods]
impl PyPlan {
    /// Compiles ``edition`` with ``options`` (a dict of ``apertura.Options`` keys) and
    /// ``weights`` (``[(node, weight), ...]`` applied as sliders, or one weight per slot).
    #[new]
    #[pyo3(signature = (edition, options = None, weights = None))]
    fn new(
        py: Python<'_>,
        edition: &PyEdition,
        options: Option<&Bound<'_, PyDict>>,
        weights: Option<Weights>,
    ) -> PyResult<Self> {
        let opts: apertura::Options = match options {
            Some(o) => depythonize(o.as_any()).map_err(|e| to_py(py, usage("invalid_option", e.to_string())))?,
            None => apertura::Options::default(),
        };
        call(py, || {
            let mut plan = apertura::Plan::new(&edition.inner, &opts)?;
            match weights {
                Some(Weights::Slots(w)) => plan.set_weights(&w)?,
                Some(Weights::Nodes(pairs)) => {
                    for (node, w) in pairs {
                        plan.set_weight(&node, w)?;
                    }
                }
                None => {}
            }
            Ok(PyPlan { inner: plan })
        })
    }

    /// Every weight slot: ``parent, child, weight, default``.
    fn weight_slots<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(pythonize(py, &self.inner.weight_slots())?)
    }

    /// The settings in force (the edition's defaults with the options applied).
    fn settings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(pythonize(py, self.inner.settings())?)
    }

    /// Scores a dataset.
    fn score(&self, py: Python<'_>, data: &PyDataset) -> PyResult<PyScores> {
        let plan = &self.inner;
        let d = &data.inner;
        py.detach(|| guard(|| Ok(plan.score(d)?)))
            .map(|s| PyScores { inner: s })
            .map_err(|f| to_py(py, f))
    }

    /// The score table of complete item-level data straight from the column kernel
    /// (`Plan::score_complete_columns`: the bits of ``score``, without its row-major
    /// scores): ``(header, text, values, rank, quadrant)`` as ``Scores.table`` gives them,
    /// except that ``values`` is a list of one float64 array per node (each owning its
    /// vector, leaves the dataset's own cells). ``reuse``: compare the metadata columns
    /// with the dataset's text columns (``("input", k)`` entries), as ``Scores.table``
    /// does when given the dataset. ``None`` when ``score`` must score it (anything else,
    /// or a problem it reports).
    #[pyo3(signature = (data, arrow = false, reuse = true))]
    fn table_of_columns<'py>(
        &self,
        py: Python<'py>,
        data: &PyDataset,
        arrow: bool,
        reuse: bool,
    ) -> PyResult<Option<Bound<'py, PyTuple>>> {
        let plan = &self.inner;
        let d = &data.inner;
        let got = py
            .detach(|| {
                guard(|| {
                    let Some((leaves, s)) = plan.score_complete_columns(d) else {
                        return Ok(None);
                    };
                    let mut leaves: Vec<Option<Vec<f64>>> = leaves.into_iter().map(Some).collect();
                    let values: Vec<Vec<f64>> = s
                        .values
                        .into_iter()
                        .map(|v| match v {
                            apertura::NodeValues::Input(k) => leaves[k].take().expect("each leaf once"),
                            apertura::NodeValues::Computed(v) => v,
                        })
                        .collect();
                    let rank: Vec<i64> = s.rank.iter().map(|&r| i64::from(r)).collect();
                    // 0 none, 1..4 = I..IV, as `Scores.table`.
                    let quadrant: Vec<i8> = crate::columns::quadrant_codes(&s.quadrant)
                        .into_iter()
                        .map(|q| q + 1)
                        .collect();
                    let inputs: &[TextColumn] = if reuse { &data.text } else { &[] };
                    let metas = meta_columns(&d.institutions, inputs, arrow);
                    Ok(Some((s.nodes, values, rank, quadrant, metas)))
                })
            })
            .map_err(|f| to_py(py, f))?;
        let Some((nodes, values, rank, quadrant, metas)) = got else {
            return Ok(None);
        };
        let header = table_header(nodes);
        let text = meta_list(py, metas)?;
        let values: Vec<Bound<'py, PyArray1<f64>>> = values.into_iter().map(|v| PyArray1::from_vec(py, v)).collect();
        Ok(Some(PyTuple::new(
            py,
            [
                header.into_pyobject(py)?.into_any(),
                text.into_any(),
                values.into_pyobject(py)?.into_any(),
                PyArray1::from_vec(py, rank).into_any(),
                PyArray1::from_vec(py, quadrant).into_any(),
            ],
        )?))
    }
}

/// Scores of a run (opaque; ``apertura.score`` turns them into a frame).
#[pyclass(frozen, module = "apertura._apertura", name = "Scores")]
pub struct PyScores {
    pub inner: apertura::Scores,
}

/// Reads one metadata column of the score table from an institution.
type MetaGetter = fn(&apertura::Institution) -> Option<&str>;

/// Whether `a` equals the text column `b` cell by cell (same length checked by the caller).
fn same<'a>(a: impl Iterator<Item = Option<&'a str>>, b: &TextColumn) -> bool {
    a.zip(b.cells()).all(|(x, y)| x == Some(y))
}

#[pymethods]
impl PyScores {
    fn __len__(&self) -> usize {
        self.inner.len()
    }

    /// The score table as records (``apertura::io::scores_to_json``): one dict per
    /// institution, keys in the table's column order, ``None`` where unknown.
    fn records<'py>(&self, py: Python<'py>, plan: &PyPlan) -> PyResult<Bound<'py, PyList>> {
        let (v, header) = call(py, || {
            let e = plan.inner.edition();
            let mut header: Vec<String> = ["id", "name", "jurisdiction", "level", "type"]
                .iter()
                .map(|x| x.to_string())
                .collect();
            header.extend(apertura::io::display_nodes(e, &self.inner));
            header.push("rank".into());
            header.push("quadrant".into());
            Ok((apertura::io::scores_to_json(e, &self.inner), header))
        })?;
        ordered(py, &v, &header)
    }

    /// The score table column by column, for building a frame without a per-row loop.
    ///
    /// Returns ``(header, text, values, rank, quadrant)``: ``header`` is the score table's
    /// header; ``text`` has one entry per metadata column (``id, name, jurisdiction,
    /// level, type``), each ``("input", k)`` (equal to the k-th text column of ``data``, so
    /// it need not cross back), ``("id", None)`` (equal to the id column), ``("null",
    /// None)`` (all missing) or ``("values", [str | None, ...])``; ``values`` is a
    /// ``(nodes, institutions)`` float64 array (NaN where unknown), ``rank`` an int64 array
    /// and ``quadrant`` an int8 array (0 none, 1..4 = I..IV).
    ///
    /// With ``arrow=True`` (pyarrow installed) a ``"values"`` payload is a pyarrow
    /// ``large_string`` array built here in one buffer (the storage of pandas 3's ``str``
    /// columns) instead of a list of Python strings.
    #[pyo3(signature = (plan, data = None, arrow = false))]
    fn table<'py>(
        &self,
        py: Python<'py>,
        plan: &PyPlan,
        data: Option<&PyDataset>,
        arrow: bool,
    ) -> PyResult<Bound<'py, PyTuple>> {
        let s = &self.inner;
        let m = s.len();
        let edition = plan.inner.edition();
        let inputs: &[TextColumn] = data.map(|d| d.text.as_slice()).unwrap_or(&[]);
        let (nodes, values, rank, quadrant, metas) = py
            .detach(|| {
                guard(|| {
                    let nodes = apertura::io::display_nodes(edition, s);
                    let k = nodes.len();
                    let idx: Vec<usize> = nodes
                        .iter()
                        .map(|n| s.node_index(n).expect("display nodes come from the scores"))
                        .collect();
                    let values = s.node_major(&idx);
                    debug_assert_eq!(values.len(), k * m);
                    let rank: Vec<i64> = s.rank.iter().map(|&r| r as i64).collect();
                    let quadrant: Vec<i8> = s
                        .quadrant
                        .iter()
                        .map(|q| match q {
                            None => 0,
                            Some(apertura::Quadrant::I) => 1,
                            Some(apertura::Quadrant::II) => 2,
                            Some(apertura::Quadrant::III) => 3,
                            Some(apertura::Quadrant::IV) => 4,
                        })
                        .collect();
                    let metas = meta_columns(&s.institutions, inputs, arrow);
                    Ok((nodes, values, rank, quadrant, metas))
                })
            })
            .map_err(|f| to_py(py, f))?;
        let k = nodes.len();
        let header = table_header(nodes);
        let text = meta_list(py, metas)?;
        let values = PyArray1::from_vec(py, values).reshape([k, m])?;
        let rank = PyArray1::from_vec(py, rank);
        let quadrant = PyArray1::from_vec(py, quadrant);
        PyTuple::new(
            py,
            [
                header.into_pyobject(py)?.into_any(),
                text.into_any(),
                values.into_any(),
                rank.into_any(),
                quadrant.into_any(),
            ],
        )
    }
}

/// A metadata column of the score table: its cells (as Python strings, or one Arrow
/// array), or where to find it (an input column, the id column, all missing).
enum MetaCells {
    Strings(Vec<Option<String>>),
    Arrow(arrow_array::LargeStringArray),
}

/// A metadata column: cells, the input column it equals, whether it equals the id column,
/// whether every cell is missing.
type Meta = (MetaCells, Option<usize>, bool, bool);

/// The metadata columns (``id, name, jurisdiction, level, type``) of the score table of
/// `inst`, each compared with the text columns given (`inputs`) first (without the GIL).
fn meta_columns(inst: &[apertura::Institution], inputs: &[TextColumn], arrow: bool) -> Vec<Meta> {
    let m = inst.len();
    let getters: [MetaGetter; 5] = [
        |x| Some(x.id.as_str()),
        |x| Some(x.name.as_str()),
        |x| x.jurisdiction.map(|j| j.name()),
        |x| x.level.map(|l| l.name()),
        |x| x.kind.as_ref().map(|t| t.name()),
    ];
    let mut metas: Vec<Meta> = Vec::with_capacity(5);
    for (c, get) in getters.iter().enumerate() {
        let reuse = inputs
            .iter()
            .position(|col| col.n_cells() == m && same(inst.iter().map(get), col));
        let is_id = c == 1 && reuse.is_none() && inst.iter().all(|x| x.name == x.id);
        let all_null = !is_id && reuse.is_none() && inst.iter().all(|x| get(x).is_none());
        let vals = if reuse.is_some() || is_id || all_null {
            MetaCells::Strings(Vec::new())
        } else if arrow {
            MetaCells::Arrow(inst.iter().map(get).collect())
        } else {
            MetaCells::Strings(inst.iter().map(|x| get(x).map(str::to_string)).collect())
        };
        metas.push((vals, reuse, is_id, all_null));
    }
    metas
}

/// The score table's header: the metadata columns, `nodes`, rank and quadrant.
fn table_header(nodes: Vec<String>) -> Vec<String> {
    let mut header: Vec<String> = ["id", "name", "jurisdiction", "level", "type"]
        .iter()
        .map(|x| x.to_string())
        .collect();
    header.extend(nodes);
    header.push("rank".into());
    header.push("quadrant".into());
    header
}

/// The ``text`` entries of [`PyScores::table`] for `metas`.
fn meta_list<'py>(py: Python<'py>, metas: Vec<Meta>) -> PyResult<Bound<'py, PyList>> {
    let text = PyList::empty(py);
    for (vals, reuse, is_id, all_null) in metas {
        let entry = if let Some(kk) = reuse {
            ("input", kk.into_pyobject(py)?.into_any())
        } else if is_id {
            ("id", py.None().into_bound(py))
        } else if all_null {
            ("null", py.None().into_bound(py))
        } else {
            match vals {
                MetaCells::Strings(v) => ("values", v.into_pyobject(py)?.into_any()),
                MetaCells::Arrow(a) => (
                    "values",
                    // pyarrow.array(x) imports it through the PyCapsule interface (no copy).
                    py.import("pyarrow")?
                        .getattr("array")?
                        .call1((pyo3_arrow::PyArray::from_array_ref(std::sync::Arc::new(a)).into_pyobject(py)?,))?,
                ),
            }
        };
        text.append(entry)?;
    }
    Ok(text)
}

/// A JSON array of objects as a list of dicts with `keys` first, in that order (the core's
/// JSON objects do not keep insertion order), then any other keys.
pub(crate) fn ordered<'py>(py: Python<'py>, v: &serde_json::Value, keys: &[String]) -> PyResult<Bound<'py, PyList>> {
    let out = PyList::empty(py);
    for row in v.as_array().map(Vec::as_slice).unwrap_or(&[]) {
        let d = PyDict::new(py);
        if let Some(o) = row.as_object() {
            for k in keys {
                if let Some(x) = o.get(k) {
                    d.set_item(k, pythonize(py, x)?)?;
                }
            }
            for (k, x) in o {
                if !keys.contains(k) {
                    d.set_item(k, pythonize(py, x)?)?;
                }
            }
        }
        out.append(d)?;
    }
    Ok(out)
}

/// Raises a Rust panic inside the error guard (tests check it arrives as AperturaError).
#[pyfunction]
pub fn _panic_for_test(py: Python<'_>) -> PyResult<()> {
    call(py, || -> Result<(), crate::error::Failure> {
        panic!("deliberate test panic")
    })
}
