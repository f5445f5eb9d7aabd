//! Input data: frames (columns), records (list of dicts) and file bytes become an
//! `apertura::Dataset` through the core readers.

use numpy::PyReadonlyArray1;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedBytes;
use pythonize::depythonize;

use crate::edition::PyEdition;
use crate::error::{call, usage};
use crate::scoring::PyPlan;

/// Row filters as given (``"year=2015"``, ``"place!=sg"``), parsed by the core.
fn row_filters(texts: &[String]) -> Result<Vec<apertura::io::RowFilter>, crate::error::Failure> {
    texts
        .iter()
        .map(|t| apertura::io::RowFilter::parse(t).map_err(|m| usage("invalid_option", format!("where: {m}"))))
        .collect()
}

/// A text column as it crosses: either one string joined by a separator character (one
/// copy instead of one Python object per cell), or a list of strings.
#[derive(Clone, FromPyObject)]
pub enum TextColumn {
    /// `(joined, separator, length)`.
    Joined(String, char, usize),
    /// One string per cell.
    List(Vec<String>),
}

impl TextColumn {
    /// The cells, owned (what the core's reader takes); the column itself is kept (moved,
    /// not copied) for [`TextColumn::cells`].
    fn to_vec(&self) -> Result<Vec<String>, crate::error::Failure> {
        match self {
            TextColumn::List(v) => Ok(v.clone()),
            TextColumn::Joined(_, _, 0) => Ok(Vec::new()),
            TextColumn::Joined(s, sep, n) => {
                let v: Vec<String> = s.split(*sep).map(str::to_string).collect();
                if v.len() != *n {
                    return Err(usage(
                        "malformed",
                        format!("joined text column has {} cells, expected {n}", v.len()),
                    ));
                }
                Ok(v)
            }
        }
    }

    /// The cells, borrowed.
    pub fn cells(&self) -> Box<dyn Iterator<Item = &str> + '_> {
        match self {
            TextColumn::List(v) => Box::new(v.iter().map(String::as_str)),
            TextColumn::Joined(_, _, 0) => Box::new(std::iter::empty()),
            TextColumn::Joined(s, sep, _) => Box::new(s.split(*sep)),
        }
    }

    /// Number of cells.
    pub fn n_cells(&self) -> usize {
        match self {
            TextColumn::List(v) => v.len(),
            TextColumn::Joined(_, _, n) => *n,
        }
    }
}

/// Observations of institutions ready to score (opaque; built by ``apertura`` from a
/// frame, a list of dicts or a file).
#[pyclass(frozen, module = "apertura._apertura", name = "Dataset")]
pub struct PyDataset {
    pub inner: apertura::Dataset,
    /// The text columns as given (for `Scores.table` to tell which output columns are
    /// unchanged and need not cross back).
    pub text: Vec<TextColumn>,
}

#[pymethods]
impl PyDataset {
    /// A wide table given column by column: text columns and ``float64`` numeric columns
    /// (numpy arrays, read without a Python-level loop; NaN is rejected when scoring).
    #[staticmethod]
    #[pyo3(signature = (edition, text_columns, numeric_columns, source = "input"))]
    fn from_columns(
        py: Python<'_>,
        edition: &PyEdition,
        text_columns: Vec<(String, TextColumn)>,
        numeric_columns: Vec<(String, PyReadonlyArray1<'_, f64>)>,
        source: &str,
    ) -> PyResult<Self> {
        let mut numeric = Vec::with_capacity(numeric_columns.len());
        for (h, a) in &numeric_columns {
            let values = match a.as_slice() {
                Ok(s) => s.to_vec(),
                Err(_) => a.as_array().iter().copied().collect(),
            };
            numeric.push((h.clone(), values));
        }
        drop(numeric_columns);
        let e = &edition.inner;
        py.detach(|| {
            crate::error::guard(|| {
                let mut text = Vec::with_capacity(text_columns.len());
                let mut kept = Vec::with_capacity(text_columns.len());
                for (h, c) in text_columns {
                    text.push((h, c.to_vec()?));
                    kept.push(c);
                }
                let data = apertura::io::read_columns(text, numeric, e, source)?;
                Ok(PyDataset {
                    inner: data,
                    text: kept,
                })
            })
        })
        .map_err(|f| crate::error::to_py(py, f))
    }

    /// Records (a list of dicts, wide or long, or ``{"institutions": [...]}``), read by
    /// the core's record reader (the same path as a JSON file).
    #[staticmethod]
    #[pyo3(signature = (edition, records, source = "input"))]
    fn from_records(py: Python<'_>, edition: &PyEdition, records: &Bound<'_, PyAny>, source: &str) -> PyResult<Self> {
        let value: serde_json::Value =
            depythonize(records).map_err(|e| crate::error::to_py(py, usage("malformed", format!("records: {e}"))))?;
        let e = &edition.inner;
        py.detach(|| {
            crate::error::guard(|| {
                Ok(PyDataset {
                    inner: apertura::io::read_records(&value, e, source)?,
                    text: Vec::new(),
                })
            })
        })
        .map_err(|f| crate::error::to_py(py, f))
    }

    /// The bytes of a CSV or JSON file (decided by the first non-blank byte), read as the
    /// CLI reads a file; ``source`` names it in errors. ``where`` keeps only the CSV rows
    /// that every ``COLUMN=VALUE`` / ``COLUMN!=VALUE`` filter accepts (the CLI's
    /// ``--where``, ``apertura::io::read_csv_where``); a filter on a column the file lacks
    /// is an ``InputError``, a malformed filter or a filter on JSON a ``UsageError``.
    #[staticmethod]
    #[pyo3(signature = (edition, data, source = "input", r#where = None))]
    fn from_bytes(
        py: Python<'_>,
        edition: &PyEdition,
        data: PyBackedBytes,
        source: &str,
        r#where: Option<Vec<String>>,
    ) -> PyResult<Self> {
        // Borrowed from the Python bytes object (no copy of the file).
        let filters = row_filters(r#where.as_deref().unwrap_or(&[])).map_err(|f| crate::error::to_py(py, f))?;
        let e = &edition.inner;
        py.detach(|| {
            crate::error::guard(|| {
                let inner = if filters.is_empty() {
                    apertura::io::read_auto(&data, e, source)?
                } else {
                    let first = data.iter().find(|b| !b.is_ascii_whitespace()).copied();
                    if matches!(first, Some(b'[') | Some(b'{')) {
                        return Err(usage(
                            "invalid_option",
                            "where: row filters apply to CSV input, not JSON",
                        ));
                    }
                    apertura::io::read_csv_where(&data, e, source, &filters)?
                };
                Ok(PyDataset {
                    inner,
                    text: Vec::new(),
                })
            })
        })
        .map_err(|f| crate::error::to_py(py, f))
    }

    /// A copy with items computed from request-level observations (information requests
    /// and participation proposals, lists of dicts with the core's field names).
    #[pyo3(signature = (plan, requests = None, proposals = None))]
    fn with_requests(
        &self,
        py: Python<'_>,
        plan: &PyPlan,
        requests: Option<&Bound<'_, PyAny>>,
        proposals: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let reqs: Vec<apertura::requests::InformationRequest> = match requests {
            Some(r) => {
                depythonize(r).map_err(|e| crate::error::to_py(py, usage("malformed", format!("requests: {e}"))))?
            }
            None => Vec::new(),
        };
        let props: Vec<apertura::requests::ParticipationProposal> = match proposals {
            Some(p) => {
                depythonize(p).map_err(|e| crate::error::to_py(py, usage("malformed", format!("proposals: {e}"))))?
            }
            None => Vec::new(),
        };
        call(py, || {
            let mut data = self.inner.clone();
            apertura::requests::items_from_requests(&plan.inner, &mut data, &reqs, &props)?;
            Ok(PyDataset {
                inner: data,
                text: self.text.clone(),
            })
        })
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }

    fn __repr__(&self) -> String {
        format!(
            "<apertura.Dataset: {} institutions, {} columns>",
            self.inner.len(),
            self.inner.columns.len()
        )
    }
}
