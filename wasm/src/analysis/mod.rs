//! The stateless analysis functions (core `analysis`): `summary`, `gaps`, `explain`, and
//! the printable ficha ([`ficha`]: `fichaHtml`).

#[cfg(feature = "analysis")]
pub mod compare;
#[cfg(feature = "analysis")]
pub mod ficha;
#[cfg(feature = "analysis")]
pub mod improve;

use apertura::{io, GroupBy};
use wasm_bindgen::prelude::*;

use crate::convert::{or_undefined, out, parse_options, read_data, to_js, Extra};
use crate::error::{js, JsResult};
use crate::scoring::run;
use crate::types::{ExplainOptionsArg, InputArg, ScoreOptionsArg, SummaryOptionsArg};

/// Means by group (`by`: `"jurisdiction"` (default), `"level"`, `"type"` or a metadata
/// column), then a final `"national"` row (`apertura::io::summary_to_json`).
#[wasm_bindgen(unchecked_return_type = "SummaryRow[]")]
pub fn summary(input: InputArg, options: Option<SummaryOptionsArg>) -> JsResult<JsValue> {
    let (call, _, scores) = js(run(input.as_ref(), &or_undefined(options), Extra::By))?;
    let by = GroupBy::parse(call.by.as_deref().unwrap_or("jurisdiction"));
    to_js(&io::summary_to_json(
        &call.edition,
        &apertura::summary(&call.plan, &scores, &by),
    ))
}

/// Gaps ("brechas"): `weight x (1 - mean)` of every node below a perspective.
#[wasm_bindgen(unchecked_return_type = "Gap[]")]
pub fn gaps(input: InputArg, options: Option<ScoreOptionsArg>) -> JsResult<JsValue> {
    let (call, _, scores) = js(run(input.as_ref(), &or_undefined(options), Extra::None))?;
    out(Ok(apertura::gaps(&call.plan, &scores)))
}

/// Explains one institution (`options.institution`): each item's contribution to its index
/// and the gain if it reached 1.
#[wasm_bindgen(unchecked_return_type = "Explanation")]
pub fn explain(input: InputArg, options: ExplainOptionsArg) -> JsResult<JsValue> {
    let call = js(parse_options(options.as_ref(), Extra::Institution))?;
    let Some(id) = call.institution.as_deref() else {
        return Err(crate::error::to_js(crate::error::usage(
            "invalid_option",
            "explain needs options.institution (an institution id)",
        )));
    };
    let data = js(read_data(input.as_ref(), &call))?;
    out(apertura::explain(&call.plan, &data, id))
}
