use pyo3::prelude::*;
#[pymodule]
fn _apertura(_m: &Bound<'_, PyModule>) -> PyResult<()> { Ok(()) }
