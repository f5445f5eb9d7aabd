//! The stateless scoring functions (core `scoring`): read the input, score it with the
//! options, return the score table (`score`, `scoresToCsv`) or columns (`scoreColumns`).

use apertura::{io, Scores};
use js_sys::{Array, Float64Array, Object, Reflect, Uint32Array};
use wasm_bindgen::prelude::*;

use crate::convert::{or_undefined, parse_options, read_columns, read_data, scores_to_js, Call, Extra};
use crate::error::{js, JsResult};
use crate::types::{ColumnsArg, InputArg, ScoreOptionsArg};

/// Parses options, reads the input, scores it.
pub(crate) fn run(
    input: &JsValue,
    options: &JsValue,
    extra: Extra,
) -> apertura::Result<(Call, apertura::Dataset, Scores)> {
    let call = parse_options(options, extra)?;
    let data = read_data(input, &call)?;
    let scores = call.plan.score(&data)?;
    Ok((call, data, scores))
}

/// Scores institutions: one row per institution (`apertura::io::scores_to_json`).
#[wasm_bindgen(unchecked_return_type = "ScoreRow[]")]
pub fn score(input: InputArg, options: Option<ScoreOptionsArg>) -> JsResult<JsValue> {
    let (call, _, scores) = js(run(input.as_ref(), &or_undefined(options), Extra::None))?;
    scores_to_js(&call.edition, &scores)
}

/// The score table as CSV at full precision (`io::to_csv(io::score_table(..))`).
#[wasm_bindgen(js_name = scoresToCsv)]
pub fn scores_to_csv(input: InputArg, options: Option<ScoreOptionsArg>) -> JsResult<String> {
    let (call, _, scores) = js(run(input.as_ref(), &or_undefined(options), Extra::None))?;
    let (header, rows) = io::score_table(&call.edition, &scores, None);
    Ok(io::to_csv(&header, &rows))
}

/// Scores columnar input (`{name: Float64Array | string[]}`) into columns: `values[node]`
/// is a `Float64Array` (`NaN` where unknown) for every node of the score table.
#[wasm_bindgen(js_name = scoreColumns, unchecked_return_type = "ScoreColumns")]
pub fn score_columns(columns: ColumnsArg, options: Option<ScoreOptionsArg>) -> JsResult<JsValue> {
    let call = js(parse_options(&or_undefined(options), Extra::None))?;
    let mut data = js(read_columns(columns.as_ref(), &call.edition))?;
    if !call.requests.is_empty() || !call.proposals.is_empty() {
        js(apertura::requests::items_from_requests(
            &call.plan,
            &mut data,
            &call.requests,
            &call.proposals,
        ))?;
    }
    let scores = js(call.plan.score(&data))?;
    Ok(columns_to_js(&call.edition, &scores))
}

/// An array of strings (or `null`) as a JavaScript array.
fn strings<'a>(items: impl Iterator<Item = Option<&'a str>>) -> JsValue {
    let v: Vec<Option<&str>> = items.collect();
    js_sys::JSON::parse(&serde_json::to_string(&v).expect("strings serialize")).expect("valid JSON")
}

/// Scores as columns (see [`score_columns`]).
pub fn columns_to_js(edition: &apertura::Edition, scores: &Scores) -> JsValue {
    let nodes = io::display_nodes(edition, scores);
    // Strings cross faster as one JSON array than one by one.
    let ids = strings(scores.institutions.iter().map(|x| Some(x.id.as_str())));
    let values = Object::new();
    let mut buf = vec![f64::NAN; scores.len()];
    for node in &nodes {
        let j = scores.node_index(node).expect("display nodes come from the scores");
        for (i, v) in buf.iter_mut().enumerate() {
            *v = scores.value(i, j).unwrap_or(f64::NAN);
        }
        let _ = Reflect::set(&values, &JsValue::from_str(node), &Float64Array::from(&buf[..]));
    }
    let quadrant = strings(scores.quadrant.iter().map(|q| q.map(|q| q.as_str())));
    let nodes: Array = nodes.iter().map(|n| JsValue::from_str(n)).collect();
    let o = Object::new();
    let _ = Reflect::set(&o, &"ids".into(), &ids);
    let _ = Reflect::set(&o, &"nodes".into(), &nodes);
    let _ = Reflect::set(&o, &"values".into(), &values);
    let _ = Reflect::set(&o, &"rank".into(), &Uint32Array::from(&scores.rank[..]));
    let _ = Reflect::set(&o, &"quadrant".into(), &quadrant);
    o.into()
}

/// The score table as the core writes it (`io::scores_to_json_string`), for the tests that
/// check that `score`'s objects (built in `glue.js`) are the same rows. Not part of the API.
#[doc(hidden)]
#[wasm_bindgen(js_name = "__scoresJsonForTesting", skip_typescript)]
pub fn scores_json_for_testing(input: InputArg, options: Option<ScoreOptionsArg>) -> JsResult<String> {
    let (call, _, scores) = js(run(input.as_ref(), &or_undefined(options), Extra::None))?;
    Ok(io::scores_to_json_string(&call.edition, &scores))
}
