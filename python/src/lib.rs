//! `apertura._apertura`: the native half of the `apertura` Python package.
//!
//! A thin adapter over the `apertura` core crate: convert Python values in (numpy buffers,
//! strings, dicts), call the core, convert results and errors out. No scoring logic lives
//! here; the pure-Python helpers (frames, plotting) are in `pysrc/apertura/`.

mod analysis;
mod columns;
mod edition;
mod error;
mod input;
mod observations;
mod ranking;
mod robustness;
mod scoring;

use pyo3::prelude::*;

/// Native module: ``Edition``, ``editions`` and the building blocks ``apertura.score`` and
/// friends are made of (``Dataset``, ``Plan``, ``Scores``, ``summary``, ``gaps``, ``ficha``,
/// ``explain``, and the column-major path: ``score_columns``, ``column_roles``,
/// ``canonical_metadata``, ``distinct_objects``, ``arrow_columns``, ``arrow_distinct``, scores given
/// as they are: ``rank_scores``, ``summary_scores``, ``population_nodes``, and robustness analysis: ``uncertainty``,
/// ``sensitivity``).
#[pymodule]
fn _apertura(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("core_version", apertura::VERSION)?;
    m.add_class::<edition::PyEdition>()?;
    m.add_class::<input::PyDataset>()?;
    m.add_class::<scoring::PyPlan>()?;
    m.add_class::<scoring::PyScores>()?;
    m.add_function(wrap_pyfunction!(edition::editions, m)?)?;
    m.add_function(wrap_pyfunction!(analysis::summary, m)?)?;
    m.add_function(wrap_pyfunction!(analysis::gaps, m)?)?;
    m.add_function(wrap_pyfunction!(analysis::explain, m)?)?;
    m.add_function(wrap_pyfunction!(analysis::ficha::ficha, m)?)?;
    m.add_function(wrap_pyfunction!(analysis::compare::compare, m)?)?;
    m.add_function(wrap_pyfunction!(analysis::improve::improve, m)?)?;
    m.add_function(wrap_pyfunction!(analysis::improve::improve_all, m)?)?;
    m.add_function(wrap_pyfunction!(analysis::improve::improve_frontier, m)?)?;
    m.add_function(wrap_pyfunction!(columns::score_columns, m)?)?;
    m.add_function(wrap_pyfunction!(columns::column_roles, m)?)?;
    m.add_function(wrap_pyfunction!(columns::canonical_metadata, m)?)?;
    m.add_function(wrap_pyfunction!(columns::distinct_objects, m)?)?;
    m.add_function(wrap_pyfunction!(columns::arrow_columns, m)?)?;
    m.add_function(wrap_pyfunction!(columns::arrow_distinct, m)?)?;
    m.add_function(wrap_pyfunction!(ranking::rank_scores, m)?)?;
    m.add_function(wrap_pyfunction!(ranking::summary_scores, m)?)?;
    m.add_function(wrap_pyfunction!(ranking::population_nodes, m)?)?;
    m.add_function(wrap_pyfunction!(robustness::uncertainty, m)?)?;
    m.add_function(wrap_pyfunction!(robustness::sensitivity, m)?)?;
    m.add_function(wrap_pyfunction!(observations::catalogue, m)?)?;
    // Test hook, kept out of `__all__` (and the stubs).
    m.setattr("_panic_for_test", wrap_pyfunction!(scoring::_panic_for_test, m)?)?;
    // Synthetic data for benchmarks and tests (the CLI's `synthesize`), private likewise.
    m.setattr("_synthetic_csv", wrap_pyfunction!(robustness::_synthetic_csv, m)?)?;
    Ok(())
}
