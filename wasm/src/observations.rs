//! Raw evidence (core `observations`): `catalogue`, the CKAN catalogue scorer. Converts
//! the export and the options, calls the core, returns its result as plain objects.

use apertura::edition::date::Date;
use apertura::observations::catalogue::{score_ckan, CatalogueRules, ReferenceDate};
use js_sys::Uint8Array;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::convert::{option_entries, to_js, walk, SOURCE};
use crate::error::{js, malformed, usage, JsResult};

#[wasm_bindgen]
extern "C" {
    /// `CatalogueInput`.
    #[wasm_bindgen(typescript_type = "CatalogueInput")]
    pub type CatalogueInputArg;
    /// `CatalogueOptions`.
    #[wasm_bindgen(typescript_type = "CatalogueOptions")]
    pub type CatalogueOptionsArg;
}

#[wasm_bindgen(typescript_custom_section)]
const TS_CATALOGUE: &'static str = r#"
/** A CKAN export: a `package_search` response (`{success, result: {count, results}}`),
 *  `{results: [...]}` or a list of packages, as JSON text, UTF-8 bytes or parsed. */
export type CatalogueInput = string | Uint8Array | Record<string, unknown> | Record<string, unknown>[];

/** Options of `catalogue` (every key optional; `null` = the rules' default). */
export interface CatalogueOptions {
  /** The day ages are counted to, `YYYY-MM-DD`. Default: the latest `metadata_modified`
   *  in the export (never today's date). */
  reference_date?: IsoDate | null;
  /** Largest age in days of an up-to-date dataset (default 365). */
  max_age_days?: number | null;
  /** A whole rules file (TOML text, every table of `core/catalogue/ckan.toml`) instead of
   *  the shipped rules. */
  rules?: string | null;
  /** Name of the export in error messages (default `"input"`). */
  source?: string | null;
}

/** One CKAN package's answers (`apertura::DatasetAnswers`). */
export interface CatalogueDataset {
  id: string;
  name: string;
  organization: string | null;
  online: boolean;
  free: boolean;
  machine_readable: boolean;
  bulk: boolean;
  open_licence: boolean;
  up_to_date: boolean;
  /** Every answer of the rules' `open_requires` (machine-readable, open licence) is Yes. */
  open: boolean;
  /** The dataset's share of tg.da (1 or 0 under the default rule). */
  score: number;
  license_id: string | null;
  metadata_modified: IsoDate | null;
  age_days: number | null;
  formats: string[];
  /** 1-based position in the export. */
  row: number;
}

/** One CKAN organization: its datasets answering Yes to each question, and the MGA item
 *  `tg.da` in [0, 1] (`apertura::OrganizationAnswers`). */
export interface CatalogueOrganization {
  id: string;
  name: string;
  datasets: number;
  online: number;
  free: number;
  machine_readable: number;
  open_licence: number;
  up_to_date: number;
  bulk: number;
  open: number;
  "tg.da": number;
}

/** What `catalogue` returns (`apertura::CatalogueScores`). */
export interface CatalogueResult {
  /** The day ages were counted to (`null`: no package has a date and none was given). */
  reference_date: IsoDate | null;
  /** One per package, in export order. */
  datasets: CatalogueDataset[];
  /** One per organization, by id. */
  organizations: CatalogueOrganization[];
}
"#;

/// The export as JSON text: a string, UTF-8 bytes, or a parsed object / array.
fn export_text(input: &JsValue) -> apertura::Result<String> {
    if let Some(s) = input.as_string() {
        return Ok(s);
    }
    if input.is_instance_of::<Uint8Array>() {
        let bytes = input.unchecked_ref::<Uint8Array>().to_vec();
        return String::from_utf8(bytes).map_err(|_| malformed("the export is not UTF-8 text", None));
    }
    if input.is_object() {
        return Ok(walk(input)?.to_string());
    }
    Err(malformed(
        "the export must be JSON text, UTF-8 bytes, an object or an array",
        None,
    ))
}

/// The rules with the options applied, and the source name.
fn rules_of(options: &JsValue) -> apertura::Result<(CatalogueRules, String)> {
    let mut rules = None;
    let mut reference = None;
    let mut max_age = None;
    let mut source = SOURCE.to_string();
    {
        for (key, v) in option_entries(options)? {
            let text = || {
                v.as_string()
                    .ok_or_else(|| usage("invalid_option", format!("option {key:?} must be a string")))
            };
            match key.as_str() {
                "rules" => rules = Some(CatalogueRules::from_toml_str(&text()?)?),
                "source" => source = text()?,
                "reference_date" => {
                    let d = Date::parse(&text()?)
                        .map_err(|e| usage("invalid_option", format!("option \"reference_date\": {e}")))?;
                    reference = Some(d);
                }
                "max_age_days" => {
                    let n = v
                        .as_f64()
                        .filter(|n| n.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(n));
                    let Some(n) = n else {
                        return Err(usage(
                            "invalid_option",
                            "option \"max_age_days\" must be a whole number of days >= 0",
                        ));
                    };
                    max_age = Some(n as u32);
                }
                other => {
                    return Err(usage(
                        "invalid_option",
                        format!("unknown option {other:?} (reference_date, max_age_days, rules, source)"),
                    ))
                }
            }
        }
    }
    let mut rules = rules.unwrap_or_default();
    if let Some(d) = reference {
        rules.reference_date.value = ReferenceDate::On(d);
    }
    if let Some(n) = max_age {
        rules.max_age_days.value = n;
    }
    Ok((rules, source))
}

/// Scores a CKAN catalogue export: GODI-style answers per package (`datasets`) and, per
/// organization, the counts and the MGA item `tg.da` (`organizations`). Errors are
/// `AperturaError`s: an export problem is located (`.row` = package position, `.column` =
/// field such as `resources[1].format`, `.institution` = organization).
#[wasm_bindgen(unchecked_return_type = "CatalogueResult")]
pub fn catalogue(input: CatalogueInputArg, options: Option<CatalogueOptionsArg>) -> JsResult<JsValue> {
    let options: JsValue = options.map(Into::into).unwrap_or(JsValue::UNDEFINED);
    let (rules, source) = js(rules_of(&options))?;
    let text = js(export_text(input.as_ref()))?;
    let scores = js(score_ckan(&text, &source, &rules))?;
    to_js(&scores)
}
