//! `fichaHtml`: the printable ficha of one institution or one state (core
//! `analysis::ficha` and `output::ficha`) as one self-contained HTML document, for the page
//! to open and print.

use apertura::analysis::ficha::FichaContext;
use apertura::output::ficha::{institution_html, state_html, Lang};
use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;

use crate::convert::{option_entries, parse_options, read_data, Extra};
use crate::error::{js, usage, JsResult};
use crate::types::{FichaOptionsArg, InputArg};

/// The ficha of `options.institution` (an id) or `options.state` (a name, parsed
/// leniently: `"Nuevo Leon"`, `"CDMX"`), in `options.lang` (`"es"`, the default, or
/// `"en"`), as a complete HTML document: inline CSS and SVG, nothing fetched, A4 print
/// stylesheet. The other options are those of `score` (`edition`, `weights`, settings...).
#[wasm_bindgen(js_name = "fichaHtml")]
pub fn ficha_html(input: InputArg, options: FichaOptionsArg) -> JsResult<String> {
    js(ficha(input.as_ref(), options.as_ref()))
}

fn ficha(input: &JsValue, options: &JsValue) -> apertura::Result<String> {
    let (mut institution, mut state, mut lang) = (None, None, None);
    // The ficha's own keys; every other one is a scoring option.
    let rest = Object::new();
    for (key, v) in option_entries(options)? {
        let slot = match key.as_str() {
            "institution" => &mut institution,
            "state" => &mut state,
            "lang" => &mut lang,
            _ => {
                Reflect::set(&rest, &JsValue::from_str(&key), &v)
                    .map_err(|_| usage("invalid_option", format!("cannot read option {key:?}")))?;
                continue;
            }
        };
        *slot = Some(
            v.as_string()
                .ok_or_else(|| usage("invalid_option", format!("options.{key} must be a string")))?,
        );
    }
    let lang = Lang::parse(lang.as_deref().unwrap_or("es"))?;
    let call = parse_options(&rest, Extra::None)?;
    let data = read_data(input, &call)?;
    let scores = call.plan.score(&data)?;
    let ctx = FichaContext::new(&call.plan, &data, &scores);
    match (institution, state) {
        (Some(id), None) => Ok(institution_html(&ctx.institution(&id)?, lang)),
        (None, Some(name)) => Ok(state_html(&ctx.state(&name)?, lang)),
        _ => Err(usage(
            "invalid_option",
            "fichaHtml needs options.institution (an id) or options.state (a name), one of them",
        )),
    }
}
