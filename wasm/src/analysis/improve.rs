//! Improvement paths (core `analysis::improve`): `improve(input, options)`, the cheapest
//! steps of one institution to a target, its cost-score frontier (`frontier: true`) or
//! every institution's path (`all: true`). The options are split into the improve keys and
//! the common ones; the search, its checks and every error are the core's.

use apertura::analysis::improve::{self as core, ImproveOptions, NodeCost, Target};
use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;

use crate::convert::{option_entries, out, parse_options, read_data, walk, Extra};
use crate::error::{js, usage, JsResult};
use crate::types::{ImproveOptionsArg, InputArg};

/// The improve keys of an options object, read; the rest go to [`parse_options`].
struct Improve {
    target: Option<Target>,
    options: ImproveOptions,
    frontier: bool,
    all: bool,
    rest: JsValue,
}

fn flag(key: &str, v: &JsValue) -> apertura::Result<bool> {
    v.as_bool()
        .ok_or_else(|| usage("invalid_option", format!("option {key:?} must be true or false")))
}

/// `target`: `{kind: "score" | "rank" | "mean" | "quadrant", value}` (the core's
/// [`Target`] in its serde form).
fn read_target(v: &JsValue) -> apertura::Result<Target> {
    let bad = |e: String| {
        usage(
            "invalid_target",
            format!("option \"target\" must be {{kind: \"score\" | \"rank\" | \"mean\" | \"quadrant\", value}}: {e}"),
        )
    };
    let mut value = walk(v)?;
    // `{kind: "mean", value: null}` is `{kind: "mean"}`.
    if let Some(o) = value.as_object_mut() {
        if o.get("value").is_some_and(serde_json::Value::is_null) {
            o.remove("value");
        }
    }
    serde_json::from_value(value).map_err(|e| bad(e.to_string()))
}

/// A cost per step: a number (`Infinity` freezes) or its text (`"inf"`, `"2"`).
fn cost_value(node: &str, v: &serde_json::Value) -> apertura::Result<f64> {
    let x = match v {
        serde_json::Value::Number(n) => n.as_f64(),
        serde_json::Value::String(s) => apertura::analysis::improve::parse_cost(s),
        _ => None,
    };
    x.ok_or_else(|| {
        usage(
            "invalid_cost",
            format!("the cost per step of {node:?} must be a number at least 0, or Infinity to freeze it"),
        )
    })
}

/// `costs`: `[{node, cost_per_step}]` (row k + 1 in errors), `{node: cost}`, or the text
/// of a costs file (`node,cost_per_step`, read by the core's [`core::read_costs`]).
fn read_costs(v: &JsValue) -> apertura::Result<Vec<NodeCost>> {
    if let Some(text) = v.as_string() {
        return core::read_costs(&text, Some("costs"));
    }
    let shape = || {
        usage(
            "invalid_cost",
            "option \"costs\" must be [{node, cost_per_step}], {node: cost} or the text of a costs file",
        )
    };
    match walk(v)? {
        serde_json::Value::Array(rows) => rows
            .iter()
            .enumerate()
            .map(|(k, r)| {
                let node = r.get("node").and_then(|n| n.as_str()).ok_or_else(shape)?;
                let cost = r.get("cost_per_step").ok_or_else(shape)?;
                Ok(NodeCost {
                    node: node.to_string(),
                    cost_per_step: cost_value(node, cost)?,
                    row: Some(k + 1),
                })
            })
            .collect(),
        serde_json::Value::Object(map) => map
            .iter()
            .map(|(node, cost)| {
                Ok(NodeCost {
                    node: node.clone(),
                    cost_per_step: cost_value(node, cost)?,
                    row: None,
                })
            })
            .collect(),
        _ => Err(shape()),
    }
}

fn read(options: &JsValue) -> apertura::Result<Improve> {
    let mut target = None;
    let mut o = ImproveOptions::new(Target::Score(0.0));
    let (mut frontier, mut all) = (false, false);
    let rest: JsValue = Object::new().into();
    for (key, v) in option_entries(options)? {
        match key.as_str() {
            "target" => target = Some(read_target(&v)?),
            "node" => {
                o.node = Some(
                    v.as_string()
                        .ok_or_else(|| usage("invalid_option", "option \"node\" must be a node id"))?,
                )
            }
            "step" => {
                o.step = match (v.as_string(), v.as_f64()) {
                    (Some(t), _) => core::parse_step(&t)?,
                    // Shortest round-trip text: the same number, the core's checks.
                    (None, Some(x)) => core::parse_step(&format!("{x}"))?,
                    _ => core::parse_step("")?,
                }
            }
            "costs" => o.costs = read_costs(&v)?,
            "frontier" => frontier = flag(&key, &v)?,
            "all" => all = flag(&key, &v)?,
            _ => {
                let _ = Reflect::set(&rest, &JsValue::from_str(&key), &v);
            }
        }
    }
    Ok(Improve {
        target,
        options: o,
        frontier,
        all,
        rest,
    })
}

/// The cheapest path of `options.institution` to `options.target` (see the module
/// documentation and the `ImproveOptions` declaration): an `Improvement`, with
/// `frontier: true` the `FrontierPoint[]` front of the target node, with `all: true` one
/// `Improvement` per institution (an unreachable target as `feasible: false`, `cost:
/// null`). Errors are `AperturaError`s with the core's codes (`unreachable_target`,
/// `invalid_target`, `unknown_institution`, `unknown_node`, `invalid_cost`,
/// `invalid_step`, `search_limit`, `unsupported`...).
#[wasm_bindgen(skip_typescript)]
pub fn improve(input: InputArg, options: ImproveOptionsArg) -> JsResult<JsValue> {
    let mut x = js(read(options.as_ref()))?;
    let call = js(parse_options(&x.rest, Extra::Institution))?;
    x.options.target = match x.target {
        Some(t) => t,
        // A frontier needs only the node: any score target names it.
        None if x.frontier => Target::Score(0.0),
        None => {
            return Err(crate::error::to_js(usage(
                "invalid_target",
                "improve needs options.target: {kind: \"score\" | \"rank\" | \"mean\" | \"quadrant\", value}",
            )))
        }
    };
    if x.frontier && x.all {
        return Err(crate::error::to_js(usage(
            "invalid_option",
            "options \"frontier\" and \"all\" do not go together",
        )));
    }
    let id = call.institution.clone();
    if x.all {
        if let Some(id) = id {
            return Err(crate::error::to_js(usage(
                "invalid_option",
                format!("option \"all\" improves every institution: do not name one ({id:?})"),
            )));
        }
        let data = js(read_data(input.as_ref(), &call))?;
        return out(core::improve_all(&call.plan, &data, &x.options));
    }
    let Some(id) = id else {
        return Err(crate::error::to_js(usage(
            "invalid_option",
            "improve needs options.institution (an institution id), or all: true",
        )));
    };
    let data = js(read_data(input.as_ref(), &call))?;
    if x.frontier {
        return out(core::frontier(&call.plan, &data, &id, &x.options));
    }
    out(core::improve(&call.plan, &data, &id, &x.options))
}
