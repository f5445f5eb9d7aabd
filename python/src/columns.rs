//! The column-major path of `apertura.score` (`Plan::score_columns`) for complete frames:
//! every node column numeric without missing values. Node columns are read in place
//! (zero-copy views of the numpy buffers), the results cross back as numpy arrays that own
//! the core's vectors, and metadata columns never cross: `pysrc/apertura/_frames.py`
//! reuses them in the output after checking their distinct values here, through the core's
//! own reader. Anything else (missing or not-applicable cells, long tables, requests) takes
//! the row path (`Dataset`, `Plan::score`), and so does any input error: this path returns
//! `None` and the row path then reports the problems exactly as it always has.

use numpy::{PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::PyTuple;

use crate::edition::PyEdition;
use crate::error::{guard, to_py, Failure};
use crate::scoring::PyPlan;

/// A one-row read of `columns` by the core's reader (`None` if it reports a problem).
fn read_one(edition: &apertura::Edition, columns: Vec<(String, Vec<String>)>) -> Option<apertura::Dataset> {
    apertura::io::read_columns(columns, Vec::new(), edition, "probe").ok()
}

/// What the core's wide reader makes of each header: ``"node"``, ``"id"``, ``"name"``,
/// ``"jurisdiction"``, ``"level"``, ``"type"`` or ``"meta"`` (any other column). A table
/// the reader takes as long (``node`` and ``value`` columns) has no ``"node"`` header.
///
/// Found by asking the reader itself (no copy of its header vocabulary here): an empty
/// table names the node columns; then each other header is read once, with the value
/// ``Federal`` (valid for every metadata role) next to a ``nombre`` column, and the
/// institution read tells the role.
#[pyfunction]
pub fn column_roles(py: Python<'_>, edition: &PyEdition, headers: Vec<String>) -> PyResult<Vec<&'static str>> {
    let e = &edition.inner;
    py.detach(|| {
        guard(|| {
            let empty = headers.iter().map(|h| (h.clone(), Vec::new())).collect();
            let nodes: Vec<String> = apertura::io::read_columns(empty, Vec::new(), e, "probe")?
                .columns
                .into_iter()
                .map(|c| c.header)
                .collect();
            let probe = "\u{1}";
            Ok(headers
                .iter()
                .map(|h| {
                    if nodes.contains(h) {
                        return "node";
                    }
                    let cols = vec![
                        (h.clone(), vec!["Federal".to_string()]),
                        ("nombre".to_string(), vec![probe.to_string()]),
                    ];
                    let Some(data) = read_one(e, cols) else { return "meta" };
                    let Some(inst) = data.institutions.first() else {
                        return "meta";
                    };
                    if inst.jurisdiction.is_some() {
                        "jurisdiction"
                    } else if inst.level.is_some() {
                        "level"
                    } else if inst.kind.is_some() {
                        "type"
                    } else if inst.metadata.contains_key(h) {
                        "meta"
                    } else if inst.id == "Federal" {
                        "id"
                    } else {
                        // The `nombre` column, read after this one, replaced it.
                        "name"
                    }
                })
                .collect())
        })
    })
    .map_err(|f| to_py(py, f))
}

/// The output of the score table for the distinct values of one metadata column (``role``
/// ``"jurisdiction"``, ``"level"`` or ``"type"``, read under ``header``): each value read by
/// the core's reader, as the row path writes it (canonical name, or ``None`` if empty).
/// ``None`` if the reader rejects a value (the row path then reports it).
#[pyfunction]
pub fn canonical_metadata(
    py: Python<'_>,
    edition: &PyEdition,
    header: String,
    role: &str,
    values: Vec<String>,
) -> PyResult<Option<Vec<Option<String>>>> {
    let e = &edition.inner;
    py.detach(|| {
        guard(|| {
            let Some(data) = read_one(e, vec![(header, values)]) else {
                return Ok(None);
            };
            Ok(Some(
                data.institutions
                    .iter()
                    .map(|x| match role {
                        "jurisdiction" => x.jurisdiction.map(|j| j.name().to_string()),
                        "level" => x.level.map(|l| l.name().to_string()),
                        _ => x.kind.as_ref().map(|k| k.name().to_string()),
                    })
                    .collect(),
            ))
        })
    })
    .map_err(|f| to_py(py, f))
}

/// The distinct objects of an object array, by identity, in order of first appearance;
/// ``None`` if there are more than ``limit`` (then ``set()`` is the better tool). Repeated
/// cells of a metadata column are usually the same object (pandas' CSV reader, Python
/// lists built by repetition), so this reads only pointers: a fraction of hashing them.
#[pyfunction]
pub fn distinct_objects<'py>(
    py: Python<'py>,
    values: PyReadonlyArray1<'py, Py<PyAny>>,
    limit: usize,
) -> PyResult<Option<Vec<Py<PyAny>>>> {
    let Ok(cells) = values.as_slice() else { return Ok(None) };
    let mut seen: Vec<&Py<PyAny>> = Vec::new();
    let mut last = std::ptr::null_mut();
    for c in cells {
        let p = c.as_ptr();
        if p == last {
            continue;
        }
        last = p;
        if !seen.iter().any(|s| s.as_ptr() == p) {
            if seen.len() == limit {
                return Ok(None);
            }
            seen.push(c);
        }
    }
    Ok(Some(seen.into_iter().map(|c| c.clone_ref(py)).collect()))
}

/// A text column as it crosses to [`score_columns`]: ``(joined, separator, length)``, the
/// cells joined into one string, borrowed from Python (no copy on the Rust side).
#[derive(FromPyObject)]
pub struct Cells(PyBackedStr, char, usize);

impl Cells {
    /// The cells, borrowed (`None` if there are not exactly as many as stated, e.g. a cell
    /// holding the separator).
    fn split(&self) -> Option<Vec<&str>> {
        let Cells(s, sep, n) = self;
        let s: &str = s;
        if *n == 0 {
            return s.is_empty().then(Vec::new);
        }
        let mut out = Vec::with_capacity(*n);
        if sep.is_ascii() {
            // A byte scan: faster than `str::split` for short cells.
            let sep = *sep as u8;
            let mut start = 0;
            for (i, &b) in s.as_bytes().iter().enumerate() {
                if b == sep {
                    out.push(&s[start..i]);
                    start = i + 1;
                }
            }
            out.push(&s[start..]);
        } else {
            out.extend(s.split(*sep));
        }
        (out.len() == *n).then_some(out)
    }
}

/// A cell the row path keeps as written: not empty and without surrounding white space
/// (the reader trims metadata, and uses the id as name when the name is empty).
fn kept(s: &str) -> bool {
    !s.is_empty() && !s.starts_with(char::is_whitespace) && !s.ends_with(char::is_whitespace)
}

/// Scores complete columns with `Plan::score_columns`: ``ids`` (a joined text column, one
/// cell per institution; the ids of the output), ``names`` (the name column, if the table
/// has one besides the ids: checked only) and ``columns`` (``(header, float64 array)``
/// per node column, contiguous; read in place).
///
/// Returns ``(nodes, values, rank, quadrant)``: node ids in display order, one float64
/// array per node, rank as int64 and quadrant codes as int8 (``-1`` none, ``0..3`` = I..IV).
/// Returns ``None`` when the row path must score instead: an input problem (reported there),
/// an id or name the reader would change (white space, empty), a joined column whose cells
/// hold the separator (more cells than stated), or no institutions.
#[pyfunction]
#[pyo3(signature = (plan, ids, names, columns))]
pub fn score_columns<'py>(
    py: Python<'py>,
    plan: &PyPlan,
    ids: Cells,
    names: Option<Cells>,
    columns: Vec<(String, PyReadonlyArray1<'py, f64>)>,
) -> PyResult<Option<Bound<'py, PyTuple>>> {
    let mut views: Vec<(&str, &[f64])> = Vec::with_capacity(columns.len());
    for (h, a) in &columns {
        match a.as_slice() {
            Ok(s) => views.push((h.as_str(), s)),
            Err(_) => return Ok(None),
        }
    }
    let p = &plan.inner;
    // The arrays stay borrowed (read-only) while the GIL is released, as numpy's own
    // loops do.
    let scored = py
        .detach(|| {
            guard(|| {
                let Some(id_cells) = ids.split() else { return Ok(None) };
                if id_cells.is_empty() || !id_cells.iter().all(|s| kept(s)) {
                    return Ok(None);
                }
                if let Some(n) = &names {
                    match n.split() {
                        Some(v) if v.len() == id_cells.len() && v.iter().all(|s| kept(s)) => {}
                        _ => return Ok(None),
                    }
                }
                match p.score_columns(&id_cells, &views) {
                    Ok(s) => Ok(Some(s)),
                    Err(apertura::Error::Input(_)) => Ok(None),
                    // Editions with gates on answers in words (GODI): the row path scores them.
                    Err(apertura::Error::Usage {
                        code: "unsupported", ..
                    }) => Ok(None),
                    Err(e) => Err(Failure::Core(e)),
                }
            })
        })
        .map_err(|f| to_py(py, f))?;
    drop(columns);
    let Some(s) = scored else { return Ok(None) };
    let values: Vec<Bound<'py, PyArray1<f64>>> = s.values.into_iter().map(|v| PyArray1::from_vec(py, v)).collect();
    let rank: Vec<i64> = s.rank.iter().map(|&r| i64::from(r)).collect();
    let quadrant: Vec<i8> = s
        .quadrant
        .iter()
        .map(|q| match q {
            None => -1,
            Some(apertura::Quadrant::I) => 0,
            Some(apertura::Quadrant::II) => 1,
            Some(apertura::Quadrant::III) => 2,
            Some(apertura::Quadrant::IV) => 3,
        })
        .collect();
    let out = PyTuple::new(
        py,
        [
            s.nodes.into_pyobject(py)?.into_any(),
            values.into_pyobject(py)?.into_any(),
            PyArray1::from_vec(py, rank).into_any(),
            PyArray1::from_vec(py, quadrant).into_any(),
        ],
    )?;
    Ok(Some(out))
}
