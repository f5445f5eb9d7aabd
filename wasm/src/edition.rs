//! The `Edition` class: a methodology loaded from the shipped set, TOML or JSON.
//!
//! An `Edition` can be passed as `options.edition`. Rust cannot borrow a class instance
//! out of a plain JavaScript object without taking it over, so every live `Edition` is
//! kept in a registry under a handle that a hidden getter exposes; [`resolve`] reads it.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use apertura::{Options, Plan};
use js_sys::Reflect;
use wasm_bindgen::prelude::*;

use crate::convert::{out, to_js};
use crate::error::{js, usage, JsResult};

thread_local! {
    static REGISTRY: RefCell<(u32, HashMap<u32, Rc<apertura::Edition>>)> = RefCell::new((0, HashMap::new()));
    /// Shipped editions already parsed: loading one parses and validates its TOML, which
    /// costs more than scoring a few thousand institutions.
    static SHIPPED: RefCell<HashMap<String, Rc<apertura::Edition>>> = RefCell::new(HashMap::new());
}

/// A shipped edition by id, parsed once per instance.
pub fn shipped(id: &str) -> apertura::Result<Rc<apertura::Edition>> {
    if let Some(e) = SHIPPED.with(|c| c.borrow().get(id).cloned()) {
        return Ok(e);
    }
    let e = Rc::new(apertura::Edition::load(id)?);
    SHIPPED.with(|c| c.borrow_mut().insert(id.to_string(), e.clone()));
    Ok(e)
}

const HANDLE: &str = "__aperturaEdition";

/// `toml_unavailable`: this module reads and writes no TOML (the base module of the
/// browser package).
#[cfg(not(feature = "toml"))]
fn no_toml() -> JsValue {
    crate::error::to_js(usage(
        "toml_unavailable",
        "this module reads no TOML (the base module of the browser package): pass the edition as JSON \
         (Edition.fromJson, same schema; Edition.toJson writes it), or use the full module ('apertura/full')",
    ))
}

/// A methodology (edition): tree, weights, gates, scorers and settings, validated.
#[wasm_bindgen]
pub struct Edition {
    handle: u32,
    inner: Rc<apertura::Edition>,
}

impl Edition {
    fn new(inner: Rc<apertura::Edition>) -> Edition {
        let handle = REGISTRY.with(|r| {
            let mut r = r.borrow_mut();
            r.0 = r.0.wrapping_add(1);
            let h = r.0;
            r.1.insert(h, inner.clone());
            h
        });
        Edition { handle, inner }
    }

    /// The core edition.
    pub fn inner(&self) -> &apertura::Edition {
        &self.inner
    }
}

impl Drop for Edition {
    fn drop(&mut self) {
        REGISTRY.with(|r| r.borrow_mut().1.remove(&self.handle));
    }
}

/// `options.edition`: a shipped edition id, or an `Edition` object.
pub fn resolve(v: &JsValue) -> apertura::Result<Rc<apertura::Edition>> {
    if let Some(id) = v.as_string() {
        return shipped(&id);
    }
    let bad = || {
        usage(
            "invalid_option",
            "option \"edition\" must be an edition id (string) or an Edition",
        )
    };
    if !v.is_object() {
        return Err(bad());
    }
    let handle = Reflect::get(v, &JsValue::from_str(HANDLE))
        .ok()
        .and_then(|h| h.as_f64())
        .ok_or_else(bad)?;
    REGISTRY
        .with(|r| r.borrow().1.get(&(handle as u32)).cloned())
        .ok_or_else(|| usage("invalid_option", "option \"edition\": this Edition was freed"))
}

#[wasm_bindgen]
impl Edition {
    /// A shipped edition by id (`"mga-2017"`, `"mga-2019"`, `"mga-2021"`, `"mga-2023"`).
    pub fn load(id: &str) -> JsResult<Edition> {
        Ok(Edition::new(js(shipped(id))?))
    }

    /// An edition from TOML text (the format of the shipped files). The base module reads
    /// no TOML: there it throws `toml_unavailable` (use `fromJson`, same schema).
    #[wasm_bindgen(js_name = fromToml)]
    pub fn from_toml(text: &str) -> JsResult<Edition> {
        #[cfg(feature = "toml")]
        return Ok(Edition::new(Rc::new(js(
            apertura::Edition::from_toml_str(text).map_err(Into::into)
        )?)));
        #[cfg(not(feature = "toml"))]
        {
            let _ = text;
            Err(no_toml())
        }
    }

    /// An edition from JSON text (the shape of `toJson()`).
    #[wasm_bindgen(js_name = fromJson)]
    pub fn from_json(text: &str) -> JsResult<Edition> {
        Ok(Edition::new(Rc::new(js(
            apertura::Edition::from_json_str(text).map_err(Into::into)
        )?)))
    }

    /// The edition id.
    #[wasm_bindgen(getter)]
    pub fn id(&self) -> String {
        self.inner.id().to_string()
    }

    /// Registry handle, read by [`resolve`] when the edition is passed in options.
    #[doc(hidden)]
    #[wasm_bindgen(getter = __aperturaEdition, skip_typescript)]
    pub fn handle(&self) -> u32 {
        self.handle
    }

    /// The tree in display order (breadth-first from the root).
    #[wasm_bindgen(unchecked_return_type = "TreeRow[]")]
    pub fn tree(&self) -> JsResult<JsValue> {
        to_js(&self.inner.tree_rows())
    }

    /// Every weight slot (a child within its parent) with the edition's weights.
    #[wasm_bindgen(js_name = weightSlots, unchecked_return_type = "WeightSlot[]")]
    pub fn weight_slots(&self) -> JsResult<JsValue> {
        out(Plan::new(&self.inner, &Options::default()).map(|p| p.weight_slots()))
    }

    /// The edition as TOML text (`toml_unavailable` in the base module: use `toJson`).
    #[wasm_bindgen(js_name = toToml)]
    pub fn to_toml(&self) -> JsResult<String> {
        #[cfg(feature = "toml")]
        return Ok(self.inner.to_toml_string());
        #[cfg(not(feature = "toml"))]
        Err(no_toml())
    }

    /// The edition as JSON text.
    #[wasm_bindgen(js_name = toJson)]
    pub fn to_json(&self) -> String {
        self.inner.to_json_string()
    }
}
