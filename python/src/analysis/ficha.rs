//! The printable ficha (core `analysis::ficha` and `output::ficha`): one institution's or
//! one state's self-contained HTML page, built and written by the core.

use apertura::analysis::ficha::FichaContext;
use apertura::output::ficha::{institution_html, state_html, Lang};
use pyo3::prelude::*;

use crate::error::{call, usage};
use crate::input::PyDataset;
use crate::scoring::PyPlan;

/// The ficha of ``institution`` (an id) or ``state`` (a name) as one HTML document
/// (inline CSS and SVG, A4 print stylesheet), in ``lang`` (``"es"`` or ``"en"``).
#[pyfunction]
#[pyo3(signature = (plan, data, *, institution = None, state = None, lang = "es"))]
pub fn ficha(
    py: Python<'_>,
    plan: &PyPlan,
    data: &PyDataset,
    institution: Option<&str>,
    state: Option<&str>,
    lang: &str,
) -> PyResult<String> {
    call(py, || {
        let lang = Lang::parse(lang)?;
        let scores = plan.inner.score(&data.inner)?;
        let ctx = FichaContext::new(&plan.inner, &data.inner, &scores);
        match (institution, state) {
            (Some(id), None) => Ok(institution_html(&ctx.institution(id)?, lang)),
            (None, Some(name)) => Ok(state_html(&ctx.state(name)?, lang)),
            _ => Err(usage(
                "invalid_option",
                "ficha needs institution= (an id) or state= (a name), one of them",
            )),
        }
    })
}
