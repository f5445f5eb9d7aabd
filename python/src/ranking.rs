//! Scores given as they are (core `scoring::ranking`: `Plan::rank_scores`, then
//! `summary`): the reduction step of scoring a large table in parts (Dask partitions,
//! Spark batches). Convert, call the core, convert back; nothing is scored again.

use numpy::{PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::{PyList, PyTuple};

use crate::error::{guard, to_py, usage, Failure};
use crate::scoring::{ordered, PyPlan};

/// Text columns as given (``None`` for a missing cell).
type Text = Vec<(String, Vec<Option<String>>)>;

/// The institutions of a score table from its metadata columns, read by the core's reader
/// (the same header names, jurisdiction and level vocabulary and errors as any input).
fn institutions(edition: &apertura::Edition, text: Text) -> Result<Vec<apertura::Institution>, Failure> {
    let columns = text
        .into_iter()
        .map(|(h, cells)| (h, cells.into_iter().map(Option::unwrap_or_default).collect()))
        .collect();
    Ok(apertura::io::read_columns(columns, Vec::new(), edition, "input")?.institutions)
}

/// Ranks given scores: `text` (``(header, [str | None, ...])``: the id column, and any
/// metadata columns to keep) and `columns` (``(header, float64 array)`` per node column,
/// contiguous, read in place; NaN is an unknown value, as in the score table) through
/// `Plan::rank_scores`, the scores then summarised by `summary`.
fn ranked(
    py: Python<'_>,
    plan: &PyPlan,
    text: Text,
    columns: &[(String, PyReadonlyArray1<'_, f64>)],
) -> PyResult<apertura::Scores> {
    let mut views: Vec<(&str, &[f64])> = Vec::with_capacity(columns.len());
    for (h, a) in columns {
        let values = a.as_slice().map_err(|_| {
            to_py(
                py,
                usage(
                    "invalid_argument",
                    format!("column {h:?}: not a contiguous float64 array"),
                ),
            )
        })?;
        views.push((h.as_str(), values));
    }
    let p = &plan.inner;
    // The arrays stay borrowed (read-only) while the GIL is released.
    py.detach(|| {
        guard(|| {
            let inst = institutions(p.edition(), text)?;
            // NaN is what the score table writes where a node is unknown.
            let known: Vec<Option<Vec<bool>>> = views
                .iter()
                .map(|(_, v)| {
                    v.iter()
                        .any(|x| x.is_nan())
                        .then(|| v.iter().map(|x| !x.is_nan()).collect())
                })
                .collect();
            let cols: Vec<apertura::ScoreColumn<'_>> = views
                .iter()
                .zip(&known)
                .map(|(&(header, values), k)| apertura::ScoreColumn {
                    header,
                    values,
                    known: k.as_deref(),
                })
                .collect();
            Ok(p.rank_scores(inst, &cols)?)
        })
    })
    .map_err(|f| to_py(py, f))
}

/// Rank and quadrant of given scores (``Plan::rank_scores``): ``text`` is
/// ``[(header, [str | None, ...])]`` (the id column), ``columns`` is ``[(header, float64
/// array)]`` (the index and both dimensions at least; NaN = unknown). Returns ``(rank,
/// quadrant)``: int64 ranks and int8 quadrant codes (``-1`` none, ``0..3`` = I..IV), in
/// input order.
#[pyfunction]
pub fn rank_scores<'py>(
    py: Python<'py>,
    plan: &PyPlan,
    text: Text,
    columns: Vec<(String, PyReadonlyArray1<'py, f64>)>,
) -> PyResult<Bound<'py, PyTuple>> {
    let s = ranked(py, plan, text, &columns)?;
    drop(columns);
    let rank: Vec<i64> = s.rank.iter().map(|&r| i64::from(r)).collect();
    let quadrant = crate::columns::quadrant_codes(&s.quadrant);
    PyTuple::new(
        py,
        [
            PyArray1::from_vec(py, rank).into_any(),
            PyArray1::from_vec(py, quadrant).into_any(),
        ],
    )
}

/// Summary by group of given scores (``Plan::rank_scores``, then ``summary``): ``text``
/// holds the id column and the metadata columns to group by, ``columns`` the node columns.
/// Records ``group, n, <node means>, best_<node>``, the last one ``national`` (as
/// ``summary`` gives them).
#[pyfunction]
pub fn summary_scores<'py>(
    py: Python<'py>,
    plan: &PyPlan,
    text: Text,
    columns: Vec<(String, PyReadonlyArray1<'py, f64>)>,
    by: &str,
) -> PyResult<Bound<'py, PyList>> {
    let s = ranked(py, plan, text, &columns)?;
    drop(columns);
    let p = &plan.inner;
    let (v, keys) = py
        .detach(|| {
            guard(|| {
                let e = p.edition();
                let summary = apertura::summary(p, &s, &apertura::GroupBy::parse(by));
                let (header, _) = apertura::io::summary_table(e, &summary, None);
                let mut keys = header.clone();
                keys.extend(header[2..].iter().map(|n| format!("best_{n}")));
                Ok((apertura::io::summary_to_json(e, &summary), keys))
            })
        })
        .map_err(|f| to_py(py, f))?;
    ordered(py, &v, &keys)
}

/// Nodes whose value depends on the whole population scored (``Plan::population_nodes``:
/// min-max rescaled nodes); a table scored in parts needs none.
#[pyfunction]
pub fn population_nodes(plan: &PyPlan) -> Vec<String> {
    plan.inner.population_nodes().into_iter().map(str::to_string).collect()
}
