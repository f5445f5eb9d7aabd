//! Robustness analysis (core `robustness`): uncertainty and Sobol' sensitivity runs.
//!
//! Convert the arguments (the factor dict into a `FactorSpec`, the run options into
//! `UncertaintyOptions` / `SensitivityOptions`, request-level lists into `Evidence`), run the
//! core with the GIL released, and convert the result back with `pythonize`. Between chunks
//! of runs the core calls back: the binding then takes the GIL, runs pending signal
//! handlers (Ctrl-C raises `KeyboardInterrupt` there) and calls the caller's progress
//! callable; either stopping makes the callback return `false`, the core stops with its
//! `cancelled` error, and the Python exception that stopped it is raised instead.
//!
//! Kept outputs (`keep_outputs`) cross as numpy arrays (`runs x institutions`: float64
//! scores, int64 ranks) instead of lists: at N = 10,000 on 2,000 institutions a list would
//! hold 20 million Python floats.

use numpy::{PyArray1, PyArrayMethods};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};
use pythonize::{depythonize, pythonize};

use apertura::robustness::{self, Evidence, FactorSpec, SaOutputs, SensitivityOptions, Target, UncertaintyOptions};
use apertura::{RobustnessError, RobustnessErrorKind};

use crate::error::{guard, to_py, Failure};
use crate::input::PyDataset;
use crate::scoring::PyPlan;

/// A robustness failure found while converting an argument.
fn robustness_failure(kind: RobustnessErrorKind, message: String) -> Failure {
    Failure::Core(apertura::Error::from(RobustnessError::new(kind, message)))
}

/// A dict of core fields (`None`: the defaults) into a core struct; a wrong key or value
/// is a robustness error of `kind` (the core structs deny unknown fields).
macro_rules! convert {
    ($py:expr, $value:expr, $ty:ty, $what:expr, $kind:expr) => {
        match $value {
            None => Ok(<$ty>::default()),
            Some(v) if v.is_none() => Ok(<$ty>::default()),
            Some(v) => {
                depythonize::<$ty>(v).map_err(|e| to_py($py, robustness_failure($kind, format!("{}: {e}", $what))))
            }
        }
    };
}

/// Request-level evidence (lists of dicts with the core's field names).
fn evidence(
    py: Python<'_>,
    requests: Option<&Bound<'_, PyAny>>,
    proposals: Option<&Bound<'_, PyAny>>,
) -> PyResult<Evidence> {
    let malformed =
        |what: &str, e: pythonize::PythonizeError| to_py(py, crate::error::usage("malformed", format!("{what}: {e}")));
    let requests = match requests {
        Some(r) if !r.is_none() => depythonize(r).map_err(|e| malformed("requests", e))?,
        _ => Vec::new(),
    };
    let proposals = match proposals {
        Some(p) if !p.is_none() => depythonize(p).map_err(|e| malformed("proposals", e))?,
        _ => Vec::new(),
    };
    Ok(Evidence { requests, proposals })
}

/// Sensitivity options: the dict may name the targets as `target` (a string such as
/// `"all"` or `"rank_shift,score"`, or a list of names), parsed as the CLI parses them.
fn sensitivity_options(py: Python<'_>, options: Option<&Bound<'_, PyDict>>) -> PyResult<SensitivityOptions> {
    let Some(options) = options else {
        return Ok(SensitivityOptions::default());
    };
    let options = options.copy()?;
    let target = options.get_item("target")?;
    if target.is_some() {
        options.del_item("target")?;
    }
    let mut parsed = convert!(
        py,
        Some(options.as_any()),
        SensitivityOptions,
        "options",
        RobustnessErrorKind::InvalidOption
    )?;
    if let Some(t) = target {
        let text = if let Ok(s) = t.extract::<String>() {
            s
        } else if let Ok(list) = t.extract::<Vec<String>>() {
            list.join(",")
        } else {
            return Err(to_py(
                py,
                robustness_failure(
                    RobustnessErrorKind::InvalidOption,
                    "target must be a string (\"all\", \"rank_shift,score\"...) or a list of target names".into(),
                ),
            ));
        };
        parsed.targets = Target::parse_list(&text).ok_or_else(|| {
            to_py(
                py,
                robustness_failure(
                    RobustnessErrorKind::InvalidOption,
                    format!("target {text:?}: give rank_shift, score, rank, national or all"),
                ),
            )
        })?;
    }
    Ok(parsed)
}

/// Runs `job` with the GIL released, its progress callback taking the GIL between chunks
/// to run signal handlers and call `progress(done, total)`. A Python exception raised
/// there (`KeyboardInterrupt` from Ctrl-C, or anything the callable raised) stops the run
/// and is raised in place of the core's `cancelled` error; the callable returning `False`
/// stops it with that error.
fn run<T: Send>(
    py: Python<'_>,
    progress: Option<Py<PyAny>>,
    job: impl FnOnce(robustness::Progress<'_>) -> Result<T, apertura::Error> + Send,
) -> PyResult<T> {
    let mut pending: Option<PyErr> = None;
    let result = py.detach(|| {
        guard(|| {
            let mut callback = |done: usize, total: usize| -> bool {
                Python::attach(|py| {
                    if let Err(e) = py.check_signals() {
                        pending = Some(e);
                        return false;
                    }
                    match &progress {
                        None => true,
                        Some(f) => match f.bind(py).call1((done, total)) {
                            Ok(v) => !matches!(v.extract::<bool>(), Ok(false)),
                            Err(e) => {
                                pending = Some(e);
                                false
                            }
                        },
                    }
                })
            };
            Ok(job(&mut callback)?)
        })
    });
    if let Some(e) = pending {
        return Err(e);
    }
    result.map_err(|f| to_py(py, f))
}

/// Every run's outputs as numpy arrays `{"scores": (runs, m) float64, "ranks": (runs, m)
/// int64}`.
fn outputs<'py>(py: Python<'py>, o: SaOutputs, runs: usize) -> PyResult<Bound<'py, PyDict>> {
    let m = o.scores.len().checked_div(runs).unwrap_or(0);
    let d = PyDict::new(py);
    let ranks: Vec<i64> = o.ranks.iter().map(|&r| i64::from(r)).collect();
    d.set_item("scores", PyArray1::from_vec(py, o.scores).reshape([runs, m])?)?;
    d.set_item("ranks", PyArray1::from_vec(py, ranks).reshape([runs, m])?)?;
    Ok(d)
}

/// The result as a dict (the core's serde form), its `outputs` replaced by numpy arrays,
/// and the design as CSV text.
fn finish<'py>(
    py: Python<'py>,
    d: Bound<'py, PyAny>,
    kept: Option<SaOutputs>,
    runs: usize,
    design_csv: String,
) -> PyResult<Bound<'py, PyTuple>> {
    if let Some(o) = kept {
        d.set_item("outputs", outputs(py, o, runs)?)?;
    }
    PyTuple::new(py, [d, design_csv.into_pyobject(py)?.into_any()])
}

/// Uncertainty analysis of ``data`` under ``plan``: ``factors`` is a dict of
/// ``FactorSpec`` fields, ``options`` of ``UncertaintyOptions`` fields, ``design`` a design
/// CSV to rerun, ``progress`` a callable ``(done, total) -> bool | None``. Returns
/// ``(result, design_csv)``: the core's result as a dict (``outputs``, if kept, as numpy
/// arrays) and the design as CSV.
#[pyfunction]
#[pyo3(signature = (plan, data, factors, options = None, design = None, progress = None, requests = None, proposals = None))]
#[allow(clippy::too_many_arguments)]
pub fn uncertainty<'py>(
    py: Python<'py>,
    plan: &PyPlan,
    data: &PyDataset,
    factors: &Bound<'py, PyAny>,
    options: Option<&Bound<'py, PyDict>>,
    design: Option<String>,
    progress: Option<Py<PyAny>>,
    requests: Option<&Bound<'py, PyAny>>,
    proposals: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyTuple>> {
    let spec = convert!(
        py,
        Some(factors),
        FactorSpec,
        "factors",
        RobustnessErrorKind::InvalidFactor
    )?;
    let opts = convert!(
        py,
        options.map(|o| o.as_any()),
        UncertaintyOptions,
        "options",
        RobustnessErrorKind::InvalidOption
    )?;
    let ev = evidence(py, requests, proposals)?;
    let (p, d) = (&plan.inner, &data.inner);
    let mut ua = run(py, progress, |cb| {
        robustness::uncertainty(p, d, &ev, &spec, &opts, design.as_deref(), cb)
    })?;
    let kept = ua.outputs.take();
    let (runs, csv) = (ua.runs.len(), ua.design.to_csv());
    finish(py, pythonize(py, &ua)?, kept, runs, csv)
}

/// Sensitivity analysis (Sobol' indices) of ``data`` under ``plan``: as ``uncertainty``,
/// with ``options`` of ``SensitivityOptions`` fields (``target`` may be given as a string
/// or a list of names, as on the command line). Returns ``(result, design_csv)``.
#[pyfunction]
#[pyo3(signature = (plan, data, factors, options = None, design = None, progress = None, requests = None, proposals = None))]
#[allow(clippy::too_many_arguments)]
pub fn sensitivity<'py>(
    py: Python<'py>,
    plan: &PyPlan,
    data: &PyDataset,
    factors: &Bound<'py, PyAny>,
    options: Option<&Bound<'py, PyDict>>,
    design: Option<String>,
    progress: Option<Py<PyAny>>,
    requests: Option<&Bound<'py, PyAny>>,
    proposals: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyTuple>> {
    let spec = convert!(
        py,
        Some(factors),
        FactorSpec,
        "factors",
        RobustnessErrorKind::InvalidFactor
    )?;
    let opts = sensitivity_options(py, options)?;
    let ev = evidence(py, requests, proposals)?;
    let (p, d) = (&plan.inner, &data.inner);
    let mut sa = run(py, progress, |cb| {
        robustness::sensitivity(p, d, &ev, &spec, &opts, design.as_deref(), cb)
    })?;
    let kept = sa.outputs.take();
    let (runs, csv) = (sa.runs.len(), sa.design.to_csv());
    finish(py, pythonize(py, &sa)?, kept, runs, csv)
}

/// A synthetic item-level dataset as CSV (the CLI's ``apertura synthesize``), for
/// benchmarks and examples. Private: not part of the public API.
#[pyfunction]
pub fn _synthetic_csv(py: Python<'_>, edition: &crate::edition::PyEdition, n: usize, seed: u64) -> PyResult<String> {
    let e = &edition.inner;
    py.detach(|| {
        guard(|| {
            Ok(apertura::io::dataset_to_csv(&apertura::synthetic::item_level(
                e, n, seed,
            )))
        })
    })
    .map_err(|f| to_py(py, f))
}
