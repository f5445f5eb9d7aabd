//! The robustness analyses (core `robustness`): `uncertainty` and `sensitivity`.
//!
//! One flat option object per call, snake_case keys as everywhere in the JS API, split
//! here into the core's structs:
//! * the common keys of every function (`edition`, `weights`, `requests`, `proposals` and
//!   the settings of [`apertura::Options`]), read by [`parse_options`];
//! * the factor keys ([`FactorSpec`]: `weight_noise`, `weight_dirichlet`, `weight_parents`,
//!   `weight_sets`, `vary_aggregation`, `vary`, `data_noise`, `data_nodes`,
//!   `geometric_zeros`);
//! * the run keys of the analysis ([`UncertaintyOptions`]: `n`, `seed`, `sampler`, `top`,
//!   `by`, `keep_outputs`; [`SensitivityOptions`]: `n`, `seed`, `sampler`, `bootstrap`,
//!   `confidence`, `targets`, `keep_outputs`);
//! * `design` (a design CSV to rerun) and `onProgress` (a function called with
//!   `(done, total)` between chunks of runs; returning `false` stops the run with an error
//!   whose code is `cancelled`; if it throws, the run stops and its exception is rethrown).
//!
//! Any other key is an `invalid_option` error naming it. The result is the core's result as
//! a plain object (the serde shape of [`robustness::Uncertainty`] /
//! [`robustness::Sensitivity`]) plus `design_csv`, the design as the core writes it
//! ([`robustness::Design::to_csv`], [`robustness::SaDesign::to_csv`]), ready to be passed
//! back as `design`; `outputs` (with `keep_outputs`) holds typed arrays.

use apertura::robustness::{
    self, Evidence, FactorSpec, SaOutputs, Sampler, SensitivityOptions, Target, UncertaintyOptions,
};
use apertura::Options;
use js_sys::{Float64Array, Function, Object, Reflect, Uint32Array};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::convert::{parse_options, read_input, to_js, walk, Call, Extra};
use crate::error::{js, usage, JsResult};
use crate::types::{InputArg, SensitivityOptionsArg, UncertaintyOptionsArg};

/// Keys of [`FactorSpec`].
const FACTOR_KEYS: &[&str] = &[
    "weight_noise",
    "weight_dirichlet",
    "weight_parents",
    "weight_sets",
    "vary_aggregation",
    "vary",
    "data_noise",
    "data_nodes",
    "geometric_zeros",
];
/// Run keys of [`UncertaintyOptions`] taken from JavaScript (`threads` means nothing here).
const UA_KEYS: &[&str] = &["n", "seed", "sampler", "top", "by", "keep_outputs"];
/// Run keys of [`SensitivityOptions`] taken from JavaScript.
const SA_KEYS: &[&str] = &[
    "n",
    "seed",
    "sampler",
    "bootstrap",
    "confidence",
    "targets",
    "keep_outputs",
];

/// Which analysis an option object is for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Analysis {
    Uncertainty,
    Sensitivity,
}

impl Analysis {
    fn name(self) -> &'static str {
        match self {
            Analysis::Uncertainty => "uncertainty",
            Analysis::Sensitivity => "sensitivity",
        }
    }
    fn run_keys(self) -> &'static [&'static str] {
        match self {
            Analysis::Uncertainty => UA_KEYS,
            Analysis::Sensitivity => SA_KEYS,
        }
    }
    fn other(self) -> Analysis {
        match self {
            Analysis::Uncertainty => Analysis::Sensitivity,
            Analysis::Sensitivity => Analysis::Uncertainty,
        }
    }
}

/// An option object split into its parts.
struct Parsed {
    call: Call,
    spec: FactorSpec,
    run: Map<String, Value>,
    design: Option<String>,
    progress: Option<Function>,
}

fn option_error(key: &str, message: impl std::fmt::Display) -> apertura::Error {
    usage("invalid_option", format!("option {key:?}: {message}"))
}

/// Deserializes `map` into `T` (a struct with `serde(default)`); on failure finds the key
/// whose value is wrong and names it.
fn strict<T: DeserializeOwned>(map: Map<String, Value>) -> apertura::Result<T> {
    match serde_json::from_value::<T>(Value::Object(map.clone())) {
        Ok(v) => Ok(v),
        Err(e) => {
            for (k, v) in map {
                let one: Map<String, Value> = std::iter::once((k.clone(), v)).collect();
                if let Err(e) = serde_json::from_value::<T>(Value::Object(one)) {
                    return Err(option_error(&k, e));
                }
            }
            Err(usage("invalid_option", format!("invalid options: {e}")))
        }
    }
}

/// Whether `key` is a key of the core's [`Options`] (the settings every function takes).
fn is_setting(key: &str) -> bool {
    let probe: Map<String, Value> = std::iter::once((key.to_string(), Value::Null)).collect();
    match serde_json::from_value::<Options>(Value::Object(probe)) {
        Ok(_) => true,
        Err(e) => !e.to_string().starts_with("unknown field"),
    }
}

fn unknown_key(key: &str, analysis: Analysis) -> apertura::Error {
    let hint = if analysis.other().run_keys().contains(&key) {
        format!(" (it is an option of {})", analysis.other().name())
    } else {
        String::new()
    };
    usage(
        "invalid_option",
        format!(
            "unknown option {key:?} for {}{hint}; run options: {}; factor options: {}; also design, onProgress, edition, weights, requests, proposals and the score settings",
            analysis.name(),
            analysis.run_keys().join(", "),
            FACTOR_KEYS.join(", "),
        ),
    )
}

/// Splits and reads the option object of `analysis`.
fn parse(options: &JsValue, analysis: Analysis) -> apertura::Result<Parsed> {
    let common = Object::new();
    let mut factors = Map::new();
    let mut run = Map::new();
    let mut design = None;
    let mut progress = None;
    if !(options.is_undefined() || options.is_null()) {
        if !options.is_object() || js_sys::Array::is_array(options) {
            return Err(usage("invalid_option", "options must be an object"));
        }
        let obj: &Object = options.unchecked_ref();
        for key in Object::keys(obj).iter() {
            let key = key.as_string().unwrap_or_default();
            let v = Reflect::get(obj, &JsValue::from_str(&key)).unwrap_or(JsValue::UNDEFINED);
            if v.is_undefined() || v.is_null() {
                continue;
            }
            let k = key.as_str();
            if FACTOR_KEYS.contains(&k) {
                factors.insert(key.clone(), walk(&v)?);
            } else if analysis.run_keys().contains(&k) {
                run.insert(key.clone(), run_value(k, &v)?);
            } else if k == "design" {
                design = Some(
                    v.as_string()
                        .ok_or_else(|| option_error(k, "must be the text of a design CSV"))?,
                );
            } else if k == "onProgress" {
                let f = v
                    .dyn_into::<Function>()
                    .map_err(|_| option_error(k, "must be a function (done, total) => boolean | void"))?;
                progress = Some(f);
            } else if matches!(k, "edition" | "weights" | "requests" | "proposals" | "where") || is_setting(k) {
                let _ = Reflect::set(&common, &JsValue::from_str(k), &v);
            } else {
                return Err(unknown_key(k, analysis));
            }
        }
    }
    let call = parse_options(&common.into(), Extra::None)?;
    let spec: FactorSpec = strict(factors)?;
    Ok(Parsed {
        call,
        spec,
        run,
        design,
        progress,
    })
}

/// A run option as JSON: `sampler` by any name the core knows, `targets` as an array or a
/// comma list (`"all"`, `"rank_shift,national"`).
fn run_value(key: &str, v: &JsValue) -> apertura::Result<Value> {
    match (key, v.as_string()) {
        ("sampler", Some(s)) => {
            let sampler = Sampler::parse(&s)
                .ok_or_else(|| option_error(key, format!("{s:?} is not a sampler (sobol or random)")))?;
            serde_json::to_value(sampler).map_err(|e| option_error(key, e))
        }
        ("targets", Some(s)) => {
            let targets = Target::parse_list(&s).ok_or_else(|| {
                option_error(
                    key,
                    format!("{s:?}: give rank_shift, national, score, rank (or a list of them) or all"),
                )
            })?;
            serde_json::to_value(targets).map_err(|e| option_error(key, e))
        }
        _ => walk(v),
    }
}

/// Calls `run` with a progress callback that forwards to `onProgress`; a JavaScript
/// exception thrown by `onProgress` stops the run and is rethrown as is.
fn with_progress<T>(
    progress: Option<&Function>,
    run: impl FnOnce(robustness::Progress<'_>) -> apertura::Result<T>,
) -> JsResult<T> {
    let mut thrown: Option<JsValue> = None;
    let result = {
        let mut cb = |done: usize, total: usize| -> bool {
            let Some(f) = progress else { return true };
            match f.call2(
                &JsValue::NULL,
                &JsValue::from_f64(done as f64),
                &JsValue::from_f64(total as f64),
            ) {
                Ok(v) => v.as_bool() != Some(false),
                Err(e) => {
                    thrown = Some(e);
                    false
                }
            }
        };
        run(&mut cb)
    };
    match (result, thrown) {
        (_, Some(e)) => Err(e),
        (r, None) => js(r),
    }
}

/// The result as a plain object, with `design_csv` and `outputs` as typed arrays.
fn result_to_js<T: serde::Serialize>(result: &T, design_csv: &str, outputs: Option<SaOutputs>) -> JsResult<JsValue> {
    let v = to_js(result)?;
    let _ = Reflect::set(&v, &JsValue::from_str("design_csv"), &JsValue::from_str(design_csv));
    if let Some(o) = outputs {
        let obj = Object::new();
        let _ = Reflect::set(&obj, &JsValue::from_str("scores"), &Float64Array::from(&o.scores[..]));
        let _ = Reflect::set(&obj, &JsValue::from_str("ranks"), &Uint32Array::from(&o.ranks[..]));
        let _ = Reflect::set(&v, &JsValue::from_str("outputs"), &obj);
    }
    Ok(v)
}

/// Uncertainty analysis: N runs of a seeded design (or of `design`), and the interval every
/// institution's score and rank (and every group's mean, with `by`) moves in, `R_S` and
/// Spearman's rho per run (`apertura::robustness::uncertainty`).
#[wasm_bindgen(unchecked_return_type = "Uncertainty")]
pub fn uncertainty(input: InputArg, options: UncertaintyOptionsArg) -> JsResult<JsValue> {
    let p = js(parse(options.as_ref(), Analysis::Uncertainty))?;
    let run: UncertaintyOptions = js(strict(p.run))?;
    let data = js(read_input(input.as_ref(), &p.call.edition, &p.call.filters))?;
    let evidence = Evidence {
        requests: p.call.requests,
        proposals: p.call.proposals,
    };
    let mut ua = with_progress(p.progress.as_ref(), |progress| {
        robustness::uncertainty(
            &p.call.plan,
            &data,
            &evidence,
            &p.spec,
            &run,
            p.design.as_deref(),
            progress,
        )
    })?;
    let outputs = ua.outputs.take();
    result_to_js(&ua, &ua.design.to_csv(), outputs)
}

/// Sensitivity analysis: Sobol' first-order and total indices (Saltelli's design of N rows,
/// N (d + 2) runs) of `R_S`, the national mean and every institution's score and rank, with
/// bootstrap intervals (`apertura::robustness::sensitivity`).
#[wasm_bindgen(unchecked_return_type = "Sensitivity")]
pub fn sensitivity(input: InputArg, options: SensitivityOptionsArg) -> JsResult<JsValue> {
    let p = js(parse(options.as_ref(), Analysis::Sensitivity))?;
    let run: SensitivityOptions = js(strict(p.run))?;
    let data = js(read_input(input.as_ref(), &p.call.edition, &p.call.filters))?;
    let evidence = Evidence {
        requests: p.call.requests,
        proposals: p.call.proposals,
    };
    let mut sa = with_progress(p.progress.as_ref(), |progress| {
        robustness::sensitivity(
            &p.call.plan,
            &data,
            &evidence,
            &p.spec,
            &run,
            p.design.as_deref(),
            progress,
        )
    })?;
    let outputs = sa.outputs.take();
    result_to_js(&sa, &sa.design.to_csv(), outputs)
}
