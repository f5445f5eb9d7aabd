//! Improvement paths (core `analysis::improve`): the options converted, the core called,
//! the result converted back. The search, its checks and every error live in the core.

use apertura::analysis::improve::{self as core, ImproveOptions, NodeCost, Target};
use pyo3::prelude::*;
use pythonize::{depythonize, pythonize};

use crate::error::{guard, to_py, usage, Failure};
use crate::input::PyDataset;
use crate::scoring::PyPlan;

/// A step as given: text (``"1/3"``, ``"0.25"``) or a number.
#[derive(FromPyObject)]
pub enum Step {
    /// Parsed by the core (`parse_step`).
    Text(String),
    /// Checked by the core like its text.
    Number(f64),
}

/// The core's options from the binding's arguments. ``target`` is the core's tagged form
/// (``{"kind": "score", "value": 0.5}``, ``{"kind": "mean"}``...); ``costs`` are
/// ``(node, cost_per_step, row)`` triples (row 1-based, for errors) and ``costs_csv`` the
/// text of a costs file (``apertura::read_costs``), with ``costs_source`` naming either.
#[allow(clippy::too_many_arguments)]
fn options(
    target: Target,
    node: Option<String>,
    step: Option<Step>,
    costs: Option<Vec<(String, f64, Option<usize>)>>,
    costs_csv: Option<&str>,
    costs_source: Option<String>,
) -> Result<ImproveOptions, Failure> {
    let mut o = ImproveOptions::new(target);
    o.node = node;
    if let Some(s) = step {
        o.step = match s {
            Step::Text(t) => core::parse_step(&t)?,
            // Shortest round-trip text: the same f64, with the core's checks and message.
            Step::Number(x) => core::parse_step(&format!("{x}"))?,
        };
    }
    if let Some(text) = costs_csv {
        o.costs = core::read_costs(text, costs_source.as_deref())?;
    }
    if let Some(list) = costs {
        o.costs
            .extend(list.into_iter().map(|(node, cost_per_step, row)| NodeCost {
                node,
                cost_per_step,
                row,
            }));
    }
    o.costs_source = costs_source;
    Ok(o)
}

fn target_of(py: Python<'_>, target: &Bound<'_, PyAny>) -> PyResult<Target> {
    depythonize(target).map_err(|e| {
        to_py(
            py,
            usage(
                "invalid_target",
                format!(
                    "target {}: expected {{'kind': 'score' | 'rank' | 'mean' | 'quadrant', 'value': ...}} ({e})",
                    target.repr().map(|r| r.to_string()).unwrap_or_default()
                ),
            ),
        )
    })
}

/// Runs a core call without the GIL (a search can take a while), a panic caught.
fn detached<T: Send>(py: Python<'_>, f: impl FnOnce() -> Result<T, Failure> + Send) -> PyResult<T> {
    py.detach(|| guard(f)).map_err(|e| to_py(py, e))
}

/// The cheapest path of one institution to ``target``, the others unchanged:
/// ``{institution, name, target, target_node, required, feasible, cost, score_before,
/// score_after, rank_before, rank_after, quadrant_before, quadrant_after, actions: [{node,
/// from, to, steps, cost, gain}, ...]}``. An unreachable target raises ``UsageError``
/// (``unreachable_target``).
#[pyfunction]
#[pyo3(signature = (plan, data, institution, target, *, node = None, step = None, costs = None, costs_csv = None, costs_source = None))]
#[allow(clippy::too_many_arguments)]
pub fn improve<'py>(
    py: Python<'py>,
    plan: &PyPlan,
    data: &PyDataset,
    institution: &str,
    target: &Bound<'py, PyAny>,
    node: Option<String>,
    step: Option<Step>,
    costs: Option<Vec<(String, f64, Option<usize>)>>,
    costs_csv: Option<&str>,
    costs_source: Option<String>,
) -> PyResult<Bound<'py, PyAny>> {
    let target = target_of(py, target)?;
    let (p, d) = (&plan.inner, &data.inner);
    let r = detached(py, || {
        let o = options(target, node, step, costs, costs_csv, costs_source)?;
        Ok(core::improve(p, d, institution, &o)?)
    })?;
    Ok(pythonize(py, &r)?)
}

/// [`improve`] for every institution, one dict each in data order (an unreachable target
/// as ``feasible = False`` with its ``reason`` and an infinite ``cost``; actions without
/// gains).
#[pyfunction]
#[pyo3(signature = (plan, data, target, *, node = None, step = None, costs = None, costs_csv = None, costs_source = None))]
#[allow(clippy::too_many_arguments)]
pub fn improve_all<'py>(
    py: Python<'py>,
    plan: &PyPlan,
    data: &PyDataset,
    target: &Bound<'py, PyAny>,
    node: Option<String>,
    step: Option<Step>,
    costs: Option<Vec<(String, f64, Option<usize>)>>,
    costs_csv: Option<&str>,
    costs_source: Option<String>,
) -> PyResult<Bound<'py, PyAny>> {
    let target = target_of(py, target)?;
    let (p, d) = (&plan.inner, &data.inner);
    let r = detached(py, || {
        let o = options(target, node, step, costs, costs_csv, costs_source)?;
        Ok(core::improve_all(p, d, &o)?)
    })?;
    Ok(pythonize(py, &r)?)
}

/// The cost-score Pareto front of one institution on the target node (``node``, default
/// the index; ``target`` only says which node: a score, rank or mean target): ``[{cost,
/// score, actions}, ...]``, from no step to the highest score reachable.
#[pyfunction]
#[pyo3(signature = (plan, data, institution, target, *, node = None, step = None, costs = None, costs_csv = None, costs_source = None))]
#[allow(clippy::too_many_arguments)]
pub fn improve_frontier<'py>(
    py: Python<'py>,
    plan: &PyPlan,
    data: &PyDataset,
    institution: &str,
    target: &Bound<'py, PyAny>,
    node: Option<String>,
    step: Option<Step>,
    costs: Option<Vec<(String, f64, Option<usize>)>>,
    costs_csv: Option<&str>,
    costs_source: Option<String>,
) -> PyResult<Bound<'py, PyAny>> {
    let target = target_of(py, target)?;
    let (p, d) = (&plan.inner, &data.inner);
    let r = detached(py, || {
        let o = options(target, node, step, costs, costs_csv, costs_source)?;
        Ok(core::frontier(p, d, institution, &o)?)
    })?;
    Ok(pythonize(py, &r)?)
}
