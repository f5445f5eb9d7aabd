//! `compare(oldInput, newInput, options)`: two runs side by side (core
//! `analysis::compare`). The option object is split here: `old_edition`, `new_edition`
//! (or `edition` for both), `crosswalk`, `by` and `intervals` are read by this function;
//! every other key is a scoring option of both runs.

use apertura::analysis::{RankInterval, RankIntervals};
use apertura::{io, CompareOptions, Crosswalk, GroupBy};
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;

use crate::convert::{option_entries, or_undefined, parse_options, read_data, walk, Extra};
use crate::error::{js, usage, JsResult};
use crate::types::{CompareOptionsArg, InputArg};

/// A crosswalk: CSV text (`old_id,new_id`), `[old, new]` pairs or `{old_id, new_id}`
/// objects.
fn crosswalk(v: &JsValue) -> apertura::Result<Crosswalk> {
    if let Some(text) = v.as_string() {
        return io::read_crosswalk(text.as_bytes(), "crosswalk");
    }
    let shape = || {
        usage(
            "invalid_option",
            "option \"crosswalk\" must be CSV text (old_id,new_id), an array of [old_id, new_id] pairs or of {old_id, new_id} objects",
        )
    };
    if !Array::is_array(v) {
        return Err(shape());
    }
    let mut pairs = Vec::new();
    for item in Array::from(v).iter() {
        let (old, new) = if Array::is_array(&item) {
            let a = Array::from(&item);
            (a.get(0).as_string(), a.get(1).as_string())
        } else if item.is_object() {
            let get = |k: &str| {
                Reflect::get(&item, &JsValue::from_str(k))
                    .ok()
                    .and_then(|x| x.as_string())
            };
            (get("old_id"), get("new_id"))
        } else {
            (None, None)
        };
        match (old, new) {
            (Some(o), Some(n)) => pairs.push((o, n)),
            _ => return Err(shape()),
        }
    }
    Crosswalk::from_pairs(pairs, "crosswalk")
}

/// `intervals`: `{old, new}`, each an array of `{id, low, high}` (or an uncertainty
/// result's `institutions`: `{id, rank_q05, rank_q95}`) or `[id, low, high]`.
fn intervals(v: &JsValue) -> apertura::Result<RankIntervals> {
    let shape = || {
        usage(
            "invalid_option",
            "option \"intervals\" must be {old, new}, each an array of {id, low, high} (or {id, rank_q05, rank_q95}) objects or [id, low, high] triples",
        )
    };
    let side = |key: &str| -> apertura::Result<Vec<RankInterval>> {
        let list = walk(&Reflect::get(v, &JsValue::from_str(key)).map_err(|_| shape())?)?;
        let serde_json::Value::Array(items) = list else {
            return Err(shape());
        };
        items
            .iter()
            .map(|x| {
                let (id, low, high) = match x {
                    serde_json::Value::Array(a) if a.len() == 3 => (a[0].as_str(), a[1].as_f64(), a[2].as_f64()),
                    serde_json::Value::Object(o) => (
                        o.get("id").and_then(|x| x.as_str()),
                        o.get("low").or_else(|| o.get("rank_q05")).and_then(|x| x.as_f64()),
                        o.get("high").or_else(|| o.get("rank_q95")).and_then(|x| x.as_f64()),
                    ),
                    _ => (None, None, None),
                };
                match (id, low, high) {
                    (Some(id), Some(low), Some(high)) => Ok(RankInterval {
                        id: id.to_string(),
                        low,
                        high,
                    }),
                    _ => Err(shape()),
                }
            })
            .collect()
    };
    if !v.is_object() {
        return Err(shape());
    }
    Ok(RankIntervals {
        old: side("old")?,
        new: side("new")?,
    })
}

/// Compares `oldInput` (scored under `options.old_edition`) with `newInput` (under
/// `options.new_edition`, default the old one; `options.edition` sets both): institutions
/// matched by id or `options.crosswalk`, every node's old and new value and change, rank
/// and quadrant transitions, group means with `options.by`, the data and method effects
/// (adding up to the delta exactly) when the methods differ, the `backcast` (the old data
/// scored under the new method), and `significant` rank changes with `options.intervals`.
/// Errors carry a stable `code` (`crosswalk_cycle`, `crosswalk_many_to_many`,
/// `unknown_institution` with the crosswalk row...).
#[wasm_bindgen(unchecked_return_type = "Comparison")]
pub fn compare(old_input: InputArg, new_input: InputArg, options: Option<CompareOptionsArg>) -> JsResult<JsValue> {
    let text = js(run(old_input.as_ref(), new_input.as_ref(), &or_undefined(options)))?;
    js_sys::JSON::parse(&text)
}

fn run(old_input: &JsValue, new_input: &JsValue, options: &JsValue) -> apertura::Result<String> {
    let common = Object::new();
    let (mut both, mut old_e, mut new_e) = (None, None, None);
    let mut compare_options = CompareOptions::default();
    for (key, v) in option_entries(options)? {
        match key.as_str() {
            "edition" => both = Some(v),
            "old_edition" => old_e = Some(v),
            "new_edition" => new_e = Some(v),
            "crosswalk" => compare_options.crosswalk = Some(crosswalk(&v)?),
            "intervals" => compare_options.intervals = Some(intervals(&v)?),
            "by" => {
                let by = v
                    .as_string()
                    .ok_or_else(|| usage("invalid_option", "option \"by\" must be a string"))?;
                compare_options.by = Some(GroupBy::parse(&by));
            }
            _ => {
                Reflect::set(&common, &JsValue::from_str(&key), &v)
                    .map_err(|_| usage("invalid_option", format!("cannot read option {key:?}")))?;
            }
        }
    }
    if both.is_some() && (old_e.is_some() || new_e.is_some()) {
        return Err(usage(
            "invalid_option",
            "give edition, or old_edition and new_edition, not both",
        ));
    }
    let old_edition = both.clone().or(old_e);
    let new_edition = both.or(new_e).or_else(|| old_edition.clone());
    let side = |edition: &Option<JsValue>| -> apertura::Result<crate::convert::Call> {
        let o = Object::assign(&Object::new(), &common);
        if let Some(e) = edition {
            Reflect::set(&o, &JsValue::from_str("edition"), e)
                .map_err(|_| usage("invalid_option", "cannot read option \"edition\""))?;
        }
        parse_options(&o, Extra::None)
    };
    let (old, new) = (side(&old_edition)?, side(&new_edition)?);
    let old_data = read_data(old_input, &old)?;
    let new_data = read_data(new_input, &new)?;
    let cmp = apertura::compare(&old.plan, &old_data, &new.plan, &new_data, &compare_options)?;
    let mut v = io::compare_to_json(&cmp);
    let backcast = match &cmp.backcast {
        Some(b) => serde_json::from_str(&io::scores_to_json_string(&new.edition, b)).unwrap_or_default(),
        None => serde_json::Value::Null,
    };
    if let serde_json::Value::Object(o) = &mut v {
        o.insert("backcast".into(), backcast);
        o.insert("ungrouped".into(), cmp.ungrouped.into());
    }
    Ok(v.to_string())
}
