//! Summary, gaps and explain (core `analysis`): convert, call the core, convert back.

pub mod improve;

pub mod compare;

pub mod ficha;

use pyo3::prelude::*;
use pyo3::types::PyList;
use pythonize::pythonize;

use crate::error::call;
use crate::input::PyDataset;
use crate::scoring::{ordered, PyPlan, PyScores};

/// Summary by group (``by``: ``jurisdiction``, ``level``, ``type`` or a metadata column):
/// records ``group, n, <node means>, best_<node>``, the last one ``national``.
#[pyfunction]
pub fn summary<'py>(py: Python<'py>, plan: &PyPlan, scores: &PyScores, by: &str) -> PyResult<Bound<'py, PyList>> {
    let (v, keys) = call(py, || {
        let e = plan.inner.edition();
        let s = apertura::summary(&plan.inner, &scores.inner, &apertura::GroupBy::parse(by));
        let (header, _) = apertura::io::summary_table(e, &s, None);
        let mut keys = header.clone();
        keys.extend(header[2..].iter().map(|n| format!("best_{n}")));
        Ok((apertura::io::summary_to_json(e, &s), keys))
    })?;
    ordered(py, &v, &keys)
}

/// Gaps ("brechas") of every node below a perspective: records ``node, parent, weight,
/// effective_weight, mean, gap, n``.
#[pyfunction]
pub fn gaps<'py>(py: Python<'py>, plan: &PyPlan, scores: &PyScores) -> PyResult<Bound<'py, PyAny>> {
    let v = call(py, || Ok(apertura::gaps(&plan.inner, &scores.inner)))?;
    Ok(pythonize(py, &v)?)
}

/// Explains one institution: ``{institution, index, items: [{item, parent, weight,
/// effective_weight, value, contribution, gain_if_one}, ...]}``.
#[pyfunction]
pub fn explain<'py>(
    py: Python<'py>,
    plan: &PyPlan,
    data: &PyDataset,
    institution: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let v = call(py, || Ok(apertura::explain(&plan.inner, &data.inner, institution)?))?;
    Ok(pythonize(py, &v)?)
}
