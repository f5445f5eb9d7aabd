//! Error mapping: every core error becomes a Python exception of `apertura._errors`, and a
//! Rust panic becomes an `AperturaError` (code `internal_error`) instead of aborting.
//!
//! The exception classes are defined in Python (`pysrc/apertura/_errors.py`) because
//! `InputError` and `EditionError` subclass both `AperturaError` and `ValueError`, which
//! `create_exception!` cannot express; they are imported once and cached. A robustness
//! error becomes `RobustnessError` with its location (factor, institution, design row,
//! column and value) as attributes.

use std::panic::{catch_unwind, AssertUnwindSafe};

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyType};

/// What can go wrong inside a core call.
pub enum Failure {
    /// An error returned by the core.
    Core(apertura::Error),
    /// A panic caught at the boundary (a bug: reported as `internal_error`).
    Panic(String),
    /// An invalid argument found while converting it (wrong type, unknown option key).
    Usage { code: &'static str, message: String },
}

impl From<apertura::Error> for Failure {
    fn from(e: apertura::Error) -> Self {
        Failure::Core(e)
    }
}

impl From<apertura::EditionError> for Failure {
    fn from(e: apertura::EditionError) -> Self {
        Failure::Core(e.into())
    }
}

/// Runs `f`, catching a panic. Use it around every core call (inside `py.detach` when the
/// call can take a while).
pub fn guard<T>(f: impl FnOnce() -> Result<T, Failure>) -> Result<T, Failure> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(payload) => {
            let msg = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_string());
            Err(Failure::Panic(msg))
        }
    }
}

static APERTURA_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static INPUT_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static EDITION_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static USAGE_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static ROBUSTNESS_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();

const ERRORS_MODULE: &str = "apertura._errors";

fn class<'py>(py: Python<'py>, cell: &'static PyOnceLock<Py<PyType>>, name: &str) -> PyResult<&'py Bound<'py, PyType>> {
    cell.import(py, ERRORS_MODULE, name)
}

/// One input problem as a dict for `apertura._errors.Problem`.
fn problem<'py>(py: Python<'py>, e: &apertura::InputError) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("code", e.code())?;
    d.set_item("message", &e.message)?;
    d.set_item("text", e.to_string())?;
    d.set_item("source", &e.source)?;
    d.set_item("institution", &e.institution)?;
    d.set_item("item", &e.item)?;
    d.set_item("row", e.row)?;
    d.set_item("column", &e.column)?;
    d.set_item("value", &e.value)?;
    Ok(d)
}

fn build(py: Python<'_>, f: Failure) -> PyResult<PyErr> {
    let instance = match f {
        Failure::Core(apertura::Error::Input(errs)) => {
            let list = PyList::empty(py);
            for e in errs.errors() {
                list.append(problem(py, e)?)?;
            }
            class(py, &INPUT_ERROR, "InputError")?.call1((errs.to_string(), list))?
        }
        Failure::Core(apertura::Error::Edition(e)) => {
            class(py, &EDITION_ERROR, "EditionError")?.call1((e.to_string(), e.code(), e.edition.clone()))?
        }
        Failure::Core(apertura::Error::Robustness(e)) => class(py, &ROBUSTNESS_ERROR, "RobustnessError")?.call1((
            e.to_string(),
            e.code(),
            e.message.clone(),
            e.factor.clone(),
            e.institution.clone(),
            e.row,
            e.column.clone(),
            e.value.clone(),
        ))?,
        Failure::Core(apertura::Error::Usage { code, message }) => {
            class(py, &USAGE_ERROR, "UsageError")?.call1((format!("{code}: {message}"), code))?
        }
        Failure::Usage { code, message } => {
            class(py, &USAGE_ERROR, "UsageError")?.call1((format!("{code}: {message}"), code))?
        }
        Failure::Panic(msg) => class(py, &APERTURA_ERROR, "AperturaError")?.call1((
            format!("internal_error: apertura panicked ({msg}); this is a bug, please report it"),
            "internal_error",
        ))?,
    };
    Ok(PyErr::from_value(instance))
}

/// Converts a failure into the Python exception to raise.
pub fn to_py(py: Python<'_>, f: Failure) -> PyErr {
    build(py, f).unwrap_or_else(|e| e)
}

/// Shorthand: run a core call under [`guard`] and map its error.
pub fn call<T>(py: Python<'_>, f: impl FnOnce() -> Result<T, Failure>) -> PyResult<T> {
    guard(f).map_err(|e| to_py(py, e))
}

/// A usage failure (invalid argument found by the binding while converting).
pub fn usage(code: &'static str, message: impl Into<String>) -> Failure {
    Failure::Usage {
        code,
        message: message.into(),
    }
}
