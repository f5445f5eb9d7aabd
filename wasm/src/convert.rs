//! Conversions between JavaScript values and core types: input data, option objects,
//! columns, and outputs. Nothing here scores: it only reads and writes shapes.

use apertura::requests::{InformationRequest, ParticipationProposal};
use apertura::{io, Dataset, Error, Options, Plan};
use js_sys::{Array, Float64Array, Object, Reflect, Uint8Array};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::edition;
use crate::error::{js, malformed, usage, JsResult};

/// Source name given to the core readers for data passed from JavaScript.
pub const SOURCE: &str = "input";

/// A Rust value as a plain JavaScript value: maps as objects, `None` as `null`, integers
/// as numbers (serde's JSON-compatible shape, as `JSON.parse` would give).
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> JsResult<JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| crate::error::to_js(usage("internal", format!("cannot convert the result: {e}"))))
}

/// A large JSON value (score tables) as JavaScript: written as JSON text in Rust and
/// parsed by the engine's `JSON.parse`, which is much faster than building the objects
/// property by property across the boundary. Numbers are written in the shortest form
/// that reads back to the same `f64`, so the values are bit-identical.
pub fn json_to_js(value: &serde_json::Value) -> JsResult<JsValue> {
    let text = serde_json::to_string(value)
        .map_err(|e| crate::error::to_js(usage("internal", format!("cannot convert the result: {e}"))))?;
    js_sys::JSON::parse(&text)
}

/// Everything an option object can carry, resolved: the edition, a plan with the options
/// and weights applied, requests and proposals, and the per-function extras.
pub struct Call {
    /// The edition (shipped id, or an `Edition` object).
    pub edition: apertura::Edition,
    /// The compiled plan, weights applied.
    pub plan: Plan,
    /// Information requests to score into items.
    pub requests: Vec<InformationRequest>,
    /// Participation proposals to score into items.
    pub proposals: Vec<ParticipationProposal>,
    /// `by` (summary).
    pub by: Option<String>,
    /// `institution` (explain).
    pub institution: Option<String>,
}

/// Which per-function keys an option object may carry besides the common ones.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Extra {
    /// None (`score`, `gaps`, `scoresToCsv`, `scoreColumns`, `Scorer`).
    None,
    /// `by` (`summary`).
    By,
    /// `institution` (`explain`).
    Institution,
}

fn string_option(key: &str, v: &JsValue) -> apertura::Result<String> {
    v.as_string()
        .ok_or_else(|| usage("invalid_option", format!("option {key:?} must be a string")))
}

/// Reads a `ScoreOptions` object (`undefined`/`null` = all defaults). Keys with the value
/// `undefined` are ignored; unknown keys are an `invalid_option` error (from the core's
/// `Options`, which denies unknown fields).
pub fn parse_options(options: &JsValue, extra: Extra) -> apertura::Result<Call> {
    let mut edition: Option<apertura::Edition> = None;
    let mut weights: Vec<(String, f64)> = Vec::new();
    let mut requests = Vec::new();
    let mut proposals = Vec::new();
    let mut by = None;
    let mut institution = None;
    let mut core = serde_json::Map::new();
    if !(options.is_undefined() || options.is_null()) {
        if !options.is_object() || Array::is_array(options) {
            return Err(usage("invalid_option", "options must be an object"));
        }
        let obj: &Object = options.unchecked_ref();
        for key in Object::keys(obj).iter() {
            let key = key.as_string().unwrap_or_default();
            let v = Reflect::get(obj, &JsValue::from_str(&key)).unwrap_or(JsValue::UNDEFINED);
            if v.is_undefined() {
                continue;
            }
            match key.as_str() {
                "edition" => edition = Some(edition::resolve(&v)?),
                "weights" => weights = read_weights(&v)?,
                "requests" => {
                    requests = serde_wasm_bindgen::from_value(v)
                        .map_err(|e| malformed(format!("requests: {e}"), Some("requests")))?
                }
                "proposals" => {
                    proposals = serde_wasm_bindgen::from_value(v)
                        .map_err(|e| malformed(format!("proposals: {e}"), Some("proposals")))?
                }
                "by" if extra == Extra::By => by = Some(string_option(&key, &v)?),
                "institution" if extra == Extra::Institution => institution = Some(string_option(&key, &v)?),
                _ => {
                    let value: serde_json::Value = serde_wasm_bindgen::from_value(v)
                        .map_err(|e| usage("invalid_option", format!("option {key:?}: {e}")))?;
                    core.insert(key, value);
                }
            }
        }
    }
    let options: Options = serde_json::from_value(serde_json::Value::Object(core))
        .map_err(|e| usage("invalid_option", format!("invalid options: {e}")))?;
    let edition = match edition {
        Some(e) => e,
        None => apertura::Edition::load("mga-2017")?,
    };
    let mut plan = Plan::new(&edition, &options)?;
    for (node, w) in &weights {
        plan.set_weight(node, *w)?;
    }
    Ok(Call { edition, plan, requests, proposals, by, institution })
}

/// `weights`: an object `{node: number}`, applied in key order.
fn read_weights(v: &JsValue) -> apertura::Result<Vec<(String, f64)>> {
    if !v.is_object() || Array::is_array(v) {
        return Err(usage("invalid_weight", "option \"weights\" must be an object {node: weight}"));
    }
    let mut out = Vec::new();
    for entry in Object::entries(v.unchecked_ref()).iter() {
        let pair: Array = entry.unchecked_into();
        let node = pair.get(0).as_string().unwrap_or_default();
        let w = pair
            .get(1)
            .as_f64()
            .ok_or_else(|| usage("invalid_weight", format!("weight of {node:?} must be a number")))?;
        out.push((node, w));
    }
    Ok(out)
}

/// Reads input data: CSV or JSON text (wide or long, as the CLI reads files), the same as
/// bytes (`Uint8Array`), or an array of plain objects (wide rows, or long rows with `node`
/// and `value`).
pub fn read_input(input: &JsValue, edition: &apertura::Edition) -> apertura::Result<Dataset> {
    if let Some(text) = input.as_string() {
        return io::read_auto(text.as_bytes(), edition, SOURCE);
    }
    if let Some(bytes) = input.dyn_ref::<Uint8Array>() {
        return io::read_auto(&bytes.to_vec(), edition, SOURCE);
    }
    if input.is_object() {
        let value: serde_json::Value = serde_wasm_bindgen::from_value(input.clone())
            .map_err(|e| malformed(format!("cannot read the input objects: {e}"), None))?;
        return io::read_records(&value, edition, SOURCE);
    }
    Err(malformed("input must be CSV or JSON text, a Uint8Array, or an array of objects", None))
}

/// Reads input data and scores requests and proposals into items, as every function does
/// before scoring.
pub fn read_data(input: &JsValue, call: &Call) -> apertura::Result<Dataset> {
    let mut data = read_input(input, &call.edition)?;
    if !call.requests.is_empty() || !call.proposals.is_empty() {
        apertura::requests::items_from_requests(&call.plan, &mut data, &call.requests, &call.proposals)?;
    }
    Ok(data)
}

/// Reads columnar input `{name: Float64Array | string[]}`: typed arrays become numeric
/// columns (other typed arrays are converted to `f64`), arrays become text columns
/// (numbers written in shortest round-trip form, `null`/`undefined` as empty cells).
pub fn read_columns(columns: &JsValue, edition: &apertura::Edition) -> apertura::Result<Dataset> {
    if !columns.is_object() || Array::is_array(columns) {
        return Err(malformed("columns must be an object {name: Float64Array | string[]}", None));
    }
    let mut text = Vec::new();
    let mut numeric = Vec::new();
    for entry in Object::entries(columns.unchecked_ref()).iter() {
        let pair: Array = entry.unchecked_into();
        let name = pair.get(0).as_string().unwrap_or_default();
        let col = pair.get(1);
        if let Some(f) = col.dyn_ref::<Float64Array>() {
            numeric.push((name, f.to_vec()));
        } else if Array::is_array(&col) {
            let arr: &Array = col.unchecked_ref();
            let mut cells = Vec::with_capacity(arr.length() as usize);
            for (i, v) in arr.iter().enumerate() {
                cells.push(if let Some(s) = v.as_string() {
                    s
                } else if let Some(x) = v.as_f64() {
                    format!("{x}")
                } else if v.is_null() || v.is_undefined() {
                    String::new()
                } else {
                    let mut e = apertura::InputError::new(
                        apertura::InputErrorKind::Malformed,
                        "text column values must be strings, numbers or null",
                    )
                    .source(SOURCE)
                    .column(name.as_str())
                    .row(i + 1);
                    e.value = v.js_typeof().as_string();
                    return Err(e.into());
                });
            }
            text.push((name, cells));
        } else if js_sys::ArrayBuffer::is_view(&col)
            && !col.is_instance_of::<js_sys::DataView>()
            && !col.is_instance_of::<js_sys::BigInt64Array>()
            && !col.is_instance_of::<js_sys::BigUint64Array>()
        {
            numeric.push((name, Float64Array::new(&col).to_vec()));
        } else {
            return Err(malformed("a column must be a Float64Array (numbers) or an array of strings", Some(&name)));
        }
    }
    io::read_columns(text, numeric, edition, SOURCE)
}

/// Converts a core result into a JavaScript value.
pub fn out<T: Serialize>(r: apertura::Result<T>) -> JsResult<JsValue> {
    to_js(&js(r)?)
}

/// An `Error` from the binding's own checks.
pub fn fail<T>(e: Error) -> JsResult<T> {
    Err(crate::error::to_js(e))
}
