//! Conversions between JavaScript values and core types: input data, option objects,
//! columns, and outputs. Nothing here scores: it only reads and writes shapes.

use std::rc::Rc;

use apertura::requests::{InformationRequest, ParticipationProposal};
use apertura::{io, Dataset, Error, Options, Plan, Scores};
use js_sys::{Array, Float64Array, Object, Reflect, Uint32Array, Uint8Array};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::edition;
use crate::error::{js, malformed, usage, JsResult};

/// Source name given to the core readers for data passed from JavaScript.
pub const SOURCE: &str = "input";

/// A Rust value as a plain JavaScript value, through JSON text and the engine's
/// `JSON.parse` (much faster than building objects property by property across the
/// boundary): maps as objects, `None` as `null`. Numbers are written in the shortest form
/// that reads back to the same `f64`, so values are bit-identical.
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> JsResult<JsValue> {
    let text = serde_json::to_string(value)
        .map_err(|e| crate::error::to_js(usage("internal", format!("cannot convert the result: {e}"))))?;
    js_sys::JSON::parse(&text)
}

#[wasm_bindgen(module = "/src/glue.js")]
extern "C" {
    /// `packRecords(objects)` (wasm/src/glue.js): an array of plain objects as typed
    /// arrays and one joined text of strings, or `null` outside the plain case.
    #[wasm_bindgen(js_name = packRecords)]
    fn pack_records(objects: &JsValue) -> JsValue;
    /// `encodeInto(text, memory, at, capacity)` (wasm/src/glue.js): `text` as UTF-8 into
    /// this module's memory at `at` (`capacity` bytes there); the number of bytes written.
    #[wasm_bindgen(js_name = encodeInto)]
    fn encode_into(text: &js_sys::JsString, memory: &JsValue, at: usize, capacity: usize) -> usize;
    /// `scoreRows(head, text, ints, values, rank)` (wasm/src/glue.js): the score table's
    /// objects.
    #[wasm_bindgen(js_name = scoreRows)]
    fn score_rows(head: &str, text: &str, ints: &Uint32Array, values: &Float64Array, rank: &Uint32Array) -> JsValue;
}

/// The score table as JavaScript objects, the rows of [`io::scores_to_json_string`] (same
/// keys in the same order, same values bit for bit): the ids (and names, where they differ
/// from the ids) cross as one text with their lengths, jurisdictions, levels, types and
/// quadrants as codes into small tables, the values as one `Float64Array` (`NaN` for
/// unknown, `null` in the rows) and the ranks as one `Uint32Array`, and `glue.js` builds
/// the objects. Several times faster than writing and parsing the JSON of every number, and
/// than a JSON array of every string.
pub fn scores_to_js(edition: &apertura::Edition, scores: &Scores) -> JsResult<JsValue> {
    #[derive(Serialize)]
    struct Head<'a> {
        nodes: &'a [String],
        /// Every name is its institution's id (no names in `text`).
        same_names: bool,
        /// Jurisdictions, levels, types, quadrants: code `c` of `ints` is `tables[t][c - 1]`,
        /// code 0 is `null`.
        tables: [Vec<&'a str>; 4],
    }
    let nodes = io::display_nodes(edition, scores);
    let index: Vec<usize> = nodes
        .iter()
        .map(|n| scores.node_index(n).expect("display nodes come from the scores"))
        .collect();
    let n = scores.len();
    let mut values = Vec::with_capacity(n * index.len());
    for i in 0..n {
        values.extend(index.iter().map(|&j| scores.value(i, j).unwrap_or(f64::NAN)));
    }
    let inst = &scores.institutions;
    let same_names = inst.iter().all(|x| x.name == x.id);
    let mut text = String::with_capacity(inst.iter().map(|x| x.id.len()).sum::<usize>() * 2);
    let mut ints: Vec<u32> = Vec::with_capacity(6 * n);
    let mut strings = |s: &mut dyn Iterator<Item = &str>| {
        for x in s {
            text.push_str(x);
            ints.push(utf16_len(x));
        }
    };
    strings(&mut inst.iter().map(|x| x.id.as_str()));
    if !same_names {
        strings(&mut inst.iter().map(|x| x.name.as_str()));
    }
    let mut codes: [Codes; 4] = Default::default();
    ints.extend(inst.iter().map(|x| codes[0].code(x.jurisdiction.map(|j| j.name()))));
    ints.extend(inst.iter().map(|x| codes[1].code(x.level.map(|l| l.name()))));
    ints.extend(inst.iter().map(|x| codes[2].code(x.kind.as_ref().map(|k| k.name()))));
    ints.extend(scores.quadrant.iter().map(|q| codes[3].code(q.map(|q| q.as_str()))));
    let head = Head {
        nodes: &nodes,
        same_names,
        tables: codes.map(|c| c.names),
    };
    let head = serde_json::to_string(&head)
        .map_err(|e| crate::error::to_js(usage("internal", format!("cannot convert the result: {e}"))))?;
    Ok(score_rows(
        &head,
        &text,
        &Uint32Array::from(&ints[..]),
        &Float64Array::from(&values[..]),
        &Uint32Array::from(&scores.rank[..]),
    ))
}

/// Length of a string in UTF-16 code units (JavaScript's `length`).
fn utf16_len(s: &str) -> u32 {
    let n = if s.is_ascii() {
        s.len()
    } else {
        s.encode_utf16().count()
    };
    n as u32
}

/// Distinct strings numbered from 1 in order of first appearance (0 stands for `None`):
/// a linear search while there are few (the jurisdictions, levels, types and quadrants of
/// a score table), a hash map beyond.
#[derive(Default)]
struct Codes<'a> {
    names: Vec<&'a str>,
    index: std::collections::HashMap<&'a str, u32>,
}

impl<'a> Codes<'a> {
    const LINEAR: usize = 40;

    fn code(&mut self, name: Option<&'a str>) -> u32 {
        let Some(name) = name else { return 0 };
        let found = if self.names.len() <= Self::LINEAR {
            // The names of enums are the same `&'static str` every time: pointers first.
            let same = |n: &&str| n.as_ptr() == name.as_ptr() && n.len() == name.len();
            let k = self.names.iter().position(same);
            k.or_else(|| self.names.iter().position(|n| *n == name))
                .map(|k| k as u32 + 1)
        } else {
            self.index.get(name).copied()
        };
        if let Some(k) = found {
            return k;
        }
        self.names.push(name);
        let k = self.names.len() as u32;
        if self.names.len() > Self::LINEAR {
            if self.index.is_empty() {
                self.index = self.names.iter().enumerate().map(|(i, n)| (*n, i as u32 + 1)).collect();
            } else {
                self.index.insert(name, k);
            }
        }
        k
    }
}

/// An array of plain objects read as [`io::read_records`] reads its JSON (the same header
/// order, that of `serde_json::Map`, and the same fields), from [`pack_records`]'s typed
/// arrays instead of `JSON.stringify` and a `serde_json::Value` per cell. `None` outside
/// the plain case, where the caller takes the general path.
fn read_packed(input: &JsValue, edition: &apertura::Edition) -> Option<apertura::Result<Dataset>> {
    use apertura::io::Field;
    let p = pack_records(input);
    if p.is_null() || p.is_undefined() {
        return None;
    }
    let get = |k: &str| Reflect::get(&p, &JsValue::from_str(k)).ok();
    let text = |k: &str| {
        get(k)
            .and_then(|v| v.dyn_into::<js_sys::JsString>().ok())
            .map(|t| utf8(&t))
    };
    let keys: Vec<String> = serde_json::from_str(&text("keys")?).ok()?;
    let texts = text("texts")?;
    // Lone surrogates (U+FFFD in UTF-8) take the general path, which reports them.
    if texts.contains('\u{FFFD}') {
        return None;
    }
    let kinds = get("kinds")?.dyn_into::<Uint8Array>().ok()?.to_vec();
    let numbers = get("numbers")?.dyn_into::<Float64Array>().ok()?.to_vec();
    let k = keys.len();
    if k == 0 || kinds.len() % k != 0 || numbers.len() != kinds.len() {
        return None;
    }
    // `serde_json::Map` (no `preserve_order`) iterates keys in `String` order.
    let mut order: Vec<usize> = (0..k).collect();
    order.sort_by(|&a, &b| keys[a].cmp(&keys[b]));
    let headers: Vec<String> = order.iter().map(|&j| keys[j].clone()).collect();
    let mut texts = Utf16Cuts::new(&texts);
    let mut rows = Vec::with_capacity(kinds.len() / k);
    let mut cells: Vec<Option<Field>> = Vec::with_capacity(k);
    for (r, (kind, number)) in kinds.chunks_exact(k).zip(numbers.chunks_exact(k)).enumerate() {
        cells.clear();
        for (&kind, &x) in kind.iter().zip(number) {
            cells.push(Some(match kind {
                // JSON has no -0: `JSON.stringify` writes it as 0.
                0 => Field::Number(if x == 0.0 { 0.0 } else { x }),
                // `x`: the text's length in UTF-16 code units.
                1 => Field::Text(texts.next(x as usize)?.to_string()),
                _ => Field::Text(String::new()),
            }));
        }
        let fields = order
            .iter()
            .map(|&j| cells[j].take().expect("each cell once"))
            .collect();
        rows.push((r + 1, fields));
    }
    if !texts.rest.is_empty() {
        return None;
    }
    Some(io::read_fields(&headers, rows, edition, SOURCE))
}

/// Consecutive pieces of a text, each given by its length in UTF-16 code units (the
/// `length` of the JavaScript string it was).
struct Utf16Cuts<'a> {
    rest: &'a str,
    ascii: bool,
}

impl<'a> Utf16Cuts<'a> {
    fn new(text: &'a str) -> Self {
        Utf16Cuts {
            rest: text,
            ascii: text.is_ascii(),
        }
    }

    /// The next `units` code units, or `None` if the text is shorter or the cut falls
    /// inside a character.
    fn next(&mut self, units: usize) -> Option<&'a str> {
        let bytes = if self.ascii {
            units
        } else {
            let mut seen = 0;
            let mut bytes = 0;
            let mut chars = self.rest.chars();
            while seen < units {
                let c = chars.next()?;
                seen += c.len_utf16();
                bytes += c.len_utf8();
            }
            if seen != units {
                return None;
            }
            bytes
        };
        let piece = self.rest.get(..bytes)?;
        self.rest = &self.rest[bytes..];
        Some(piece)
    }
}

/// Everything an option object can carry, resolved: the edition, a plan with the options
/// and weights applied, requests and proposals, and the per-function extras.
pub struct Call {
    /// The edition (shipped id, or an `Edition` object).
    pub edition: Rc<apertura::Edition>,
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
    /// `where`: row filters of CSV input (`apertura::io::read_csv_where`).
    pub filters: Vec<io::RowFilter>,
}

/// An optional argument as a JavaScript value (`undefined` when absent).
pub fn or_undefined<T: Into<JsValue>>(v: Option<T>) -> JsValue {
    v.map(Into::into).unwrap_or(JsValue::UNDEFINED)
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

/// The (key, value) pairs of an options object (`undefined` / `null`: none); keys whose
/// value is `undefined` or `null` are left out, so the default applies.
pub fn option_entries(options: &JsValue) -> apertura::Result<Vec<(String, JsValue)>> {
    if options.is_undefined() || options.is_null() {
        return Ok(Vec::new());
    }
    if !options.is_object() || Array::is_array(options) {
        return Err(usage("invalid_option", "options must be an object"));
    }
    let obj: &Object = options.unchecked_ref();
    Ok(Object::keys(obj)
        .iter()
        .filter_map(|key| {
            let key = key.as_string().unwrap_or_default();
            let v = Reflect::get(obj, &JsValue::from_str(&key)).unwrap_or(JsValue::UNDEFINED);
            (!(v.is_undefined() || v.is_null())).then_some((key, v))
        })
        .collect())
}

fn string_option(key: &str, v: &JsValue) -> apertura::Result<String> {
    v.as_string()
        .ok_or_else(|| usage("invalid_option", format!("option {key:?} must be a string")))
}

/// Reads a `ScoreOptions` object (`undefined`/`null` = all defaults). Keys with the value
/// `undefined` or `null` are ignored (the default applies); unknown keys are an `invalid_option` error (from the core's
/// `Options`, which denies unknown fields).
pub fn parse_options(options: &JsValue, extra: Extra) -> apertura::Result<Call> {
    let mut edition: Option<Rc<apertura::Edition>> = None;
    let mut weights: Vec<(String, f64)> = Vec::new();
    let mut requests = Vec::new();
    let mut proposals = Vec::new();
    let mut by = None;
    let mut institution = None;
    let mut filters = Vec::new();
    let mut core = serde_json::Map::new();
    {
        for (key, v) in option_entries(options)? {
            match key.as_str() {
                "edition" => edition = Some(edition::resolve(&v)?),
                "weights" => weights = read_weights(&v)?,
                "requests" => requests = read_list(&v, "requests")?,
                "proposals" => proposals = read_list(&v, "proposals")?,
                "where" => filters = read_filters(&v)?,
                "by" if extra == Extra::By => by = Some(string_option(&key, &v)?),
                "institution" if extra == Extra::Institution => institution = Some(string_option(&key, &v)?),
                _ => {
                    core.insert(key, walk(&v)?);
                }
            }
        }
    }
    let options: Options = serde_json::from_value(serde_json::Value::Object(core))
        .map_err(|e| usage("invalid_option", format!("invalid options: {e}")))?;
    let edition = match edition {
        Some(e) => e,
        None => edition::shipped("mga-2017")?,
    };
    let mut plan = Plan::new(&edition, &options)?;
    for (node, w) in &weights {
        plan.set_weight(node, *w)?;
    }
    Ok(Call {
        edition,
        plan,
        requests,
        proposals,
        by,
        institution,
        filters,
    })
}

/// `where`: `"COLUMN=VALUE"` (or `!=`), an array of them, or an object `{column: value}`
/// (each `column=value`), parsed by the core ([`io::RowFilter::parse`]).
fn read_filters(v: &JsValue) -> apertura::Result<Vec<io::RowFilter>> {
    let shape = || {
        usage(
            "invalid_option",
            "option \"where\" must be \"COLUMN=VALUE\", an array of such strings or an object {column: value}",
        )
    };
    let texts: Vec<String> = if let Some(t) = v.as_string() {
        vec![t]
    } else if Array::is_array(v) {
        Array::from(v)
            .iter()
            .map(|x| x.as_string().ok_or_else(shape))
            .collect::<apertura::Result<_>>()?
    } else if v.is_object() {
        let mut out = Vec::new();
        for entry in Object::entries(v.unchecked_ref()).iter() {
            let pair: Array = entry.unchecked_into();
            let column = pair.get(0).as_string().unwrap_or_default();
            let value = pair.get(1);
            let value = match (value.as_string(), value.as_f64()) {
                (Some(s), _) => s,
                (None, Some(x)) => format!("{x}"),
                _ => return Err(shape()),
            };
            out.push(format!("{column}={value}"));
        }
        out
    } else {
        return Err(shape());
    };
    texts
        .iter()
        .map(|t| io::RowFilter::parse(t).map_err(|m| usage("invalid_option", format!("where: {m}"))))
        .collect()
}

/// `requests` / `proposals`: an array of objects, each read strictly (unknown keys are
/// errors, as in the core's types); problem `k` is reported at row `k + 1`.
fn read_list<T: serde::de::DeserializeOwned>(v: &JsValue, key: &str) -> apertura::Result<Vec<T>> {
    let bad = |msg: String, row: Option<usize>| {
        let mut e = apertura::InputError::new(apertura::InputErrorKind::Malformed, msg)
            .source(key)
            .column(key);
        e.row = row;
        Error::from(e)
    };
    if !Array::is_array(v) {
        return Err(bad(format!("option {key:?} must be an array of objects"), None));
    }
    let serde_json::Value::Array(items) = json_value(v)? else {
        return Err(bad(format!("option {key:?} must be an array of objects"), None));
    };
    items
        .into_iter()
        .enumerate()
        .map(|(k, item)| serde_json::from_value(item).map_err(|e| bad(format!("{key}[{k}]: {e}"), Some(k + 1))))
        .collect()
}

/// `weights`: an object `{node: number}`, applied in key order, or an array of
/// `[node, number]` pairs, applied in array order (a node may come more than once: the
/// sequence of slider moves a page made, replayed to the same weights bit for bit).
fn read_weights(v: &JsValue) -> apertura::Result<Vec<(String, f64)>> {
    let shape = || {
        usage(
            "invalid_weight",
            "option \"weights\" must be an object {node: weight} or an array of [node, weight] pairs",
        )
    };
    if !v.is_object() {
        return Err(shape());
    }
    let pairs: Array = if Array::is_array(v) {
        Array::from(v)
    } else {
        Object::entries(v.unchecked_ref())
    };
    let mut out = Vec::new();
    for entry in pairs.iter() {
        if !Array::is_array(&entry) {
            return Err(shape());
        }
        let pair: Array = entry.unchecked_into();
        let node = pair.get(0).as_string().ok_or_else(shape)?;
        let w = pair
            .get(1)
            .as_f64()
            .ok_or_else(|| usage("invalid_weight", format!("weight of {node:?} must be a number")))?;
        out.push((node, w));
    }
    Ok(out)
}

/// The message of a thrown JavaScript value.
fn js_message(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "unknown error".to_string())
}

/// A JavaScript value (an array of plain objects, ...) as JSON. `JSON.stringify` once and
/// parsing the text is much faster than reading objects field by field across the boundary,
/// and exact (shortest round-trip numbers, parsed with `float_roundtrip`). But it writes
/// NaN and infinities as `null` (missing), so when the text has a `null` the objects are
/// walked instead ([`walk`]), which sends non-finite numbers as text for the core to
/// report (`not_a_number`), as the Python binding does.
fn json_value(input: &JsValue) -> apertura::Result<serde_json::Value> {
    let text = js_sys::JSON::stringify(input)
        .map_err(|e| malformed(format!("cannot read the input objects: {}", js_message(&e)), None))?;
    let text = utf8(&text);
    if text.contains("null") {
        return walk(input);
    }
    serde_json::from_str(&text).map_err(|e| malformed(format!("cannot read the input objects: {e}"), None))
}

/// A JavaScript string as Rust text, through the engine's native `TextEncoder`, written
/// straight into this module's memory: several times faster for large texts (CSV files,
/// JSON of many objects) than the character-by-character copy of the generated glue, and
/// than encoding to a new array and copying it in. Lone surrogates become U+FFFD, as in any
/// UTF-8 encoding of a JavaScript string.
fn utf8(text: &js_sys::JsString) -> String {
    let bytes = utf8_bytes(text);
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// [`utf8`] as bytes, for the readers of bytes (CSV), which need no `String`: the encoder's
/// output is UTF-8 already, so it is not checked again.
fn utf8_bytes(text: &js_sys::JsString) -> Vec<u8> {
    // At most 3 bytes per UTF-16 code unit (a pair of surrogates: 4 bytes for 2 units).
    let mut buf = vec![0u8; text.length() as usize * 3];
    let written = encode_into(text, &wasm_bindgen::memory(), buf.as_mut_ptr() as usize, buf.len());
    buf.truncate(written);
    buf
}

/// A JavaScript value as JSON, non-finite numbers as their text (`"NaN"`, `"Infinity"`).
pub fn walk(v: &JsValue) -> apertura::Result<serde_json::Value> {
    use serde_json::Value;
    Ok(if v.is_null() || v.is_undefined() {
        Value::Null
    } else if let Some(x) = v.as_f64() {
        // Integral numbers as integers, as JSON.parse would read them (options like
        // `display_decimals` are integers in the core).
        let int = (x.fract() == 0.0 && x.abs() <= 9_007_199_254_740_991.0).then_some(x as i64);
        match int
            .map(serde_json::Number::from)
            .or_else(|| serde_json::Number::from_f64(x))
        {
            Some(n) => Value::Number(n),
            None => Value::String(if x.is_nan() {
                "NaN".into()
            } else if x > 0.0 {
                "Infinity".into()
            } else {
                "-Infinity".into()
            }),
        }
    } else if let Some(s) = v.as_string() {
        Value::String(s)
    } else if let Some(b) = v.as_bool() {
        Value::Bool(b)
    } else if Array::is_array(v) {
        Value::Array(
            Array::from(v)
                .iter()
                .map(|x| walk(&x))
                .collect::<apertura::Result<_>>()?,
        )
    } else if v.is_object() {
        let mut o = serde_json::Map::new();
        for entry in Object::entries(v.unchecked_ref()).iter() {
            let pair: Array = entry.unchecked_into();
            o.insert(pair.get(0).as_string().unwrap_or_default(), walk(&pair.get(1))?);
        }
        Value::Object(o)
    } else {
        // symbol, function (a bigint never gets here: JSON.stringify rejects it).
        Value::String(format!("<{}>", v.js_typeof().as_string().unwrap_or_default()))
    })
}

/// Reads input data: CSV or JSON text (wide, long or grouped, as the CLI reads files), the
/// same as bytes (`Uint8Array`), or an array of plain objects (wide rows, long rows with
/// `node` and `value`, or an instrument's grouped rows). `filters` (option `where`) keep
/// only the CSV rows they all accept; with JSON or objects they are an `invalid_option`
/// error (filter the array in JavaScript).
pub fn read_input(
    input: &JsValue,
    edition: &apertura::Edition,
    filters: &[io::RowFilter],
) -> apertura::Result<Dataset> {
    let bytes = |b: &[u8]| {
        if filters.is_empty() {
            return io::read_auto(b, edition, SOURCE);
        }
        if matches!(b.iter().find(|c| !c.is_ascii_whitespace()), Some(b'[') | Some(b'{')) {
            return Err(usage("invalid_option", "option \"where\" filters CSV input, not JSON"));
        }
        io::read_csv_where(b, edition, SOURCE, filters)
    };
    if let Some(text) = input.dyn_ref::<js_sys::JsString>() {
        return bytes(&utf8_bytes(text));
    }
    if let Some(b) = input.dyn_ref::<Uint8Array>() {
        return bytes(&b.to_vec());
    }
    if input.is_object() {
        if !filters.is_empty() {
            return Err(usage(
                "invalid_option",
                "option \"where\" filters CSV input; filter an array of objects before passing it",
            ));
        }
        if let Some(data) = read_packed(input, edition) {
            return data;
        }
        return io::read_records(&json_value(input)?, edition, SOURCE);
    }
    Err(malformed(
        "input must be CSV or JSON text, a Uint8Array, or an array of objects",
        None,
    ))
}

/// Reads input data and scores requests and proposals into items, as every function does
/// before scoring.
pub fn read_data(input: &JsValue, call: &Call) -> apertura::Result<Dataset> {
    let mut data = read_input(input, &call.edition, &call.filters)?;
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
        return Err(malformed(
            "columns must be an object {name: Float64Array | string[]}",
            None,
        ));
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
            // Fast path: strings (and finite numbers) cross as one JSON text.
            if let Some(cells) = text_column_json(&col) {
                text.push((name, cells));
                continue;
            }
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
            return Err(malformed(
                "a column must be a Float64Array (numbers) or an array of strings",
                Some(&name),
            ));
        }
    }
    io::read_columns(text, numeric, edition, SOURCE)
}

/// A text column through `JSON.stringify`, when it holds only strings and finite numbers
/// (no `null`, which could also be a NaN, and nothing else): `None` otherwise.
fn text_column_json(col: &JsValue) -> Option<Vec<String>> {
    let text = utf8(&js_sys::JSON::stringify(col).ok()?);
    if text.contains("null") {
        return None;
    }
    let values: Vec<serde_json::Value> = serde_json::from_str(&text).ok()?;
    values
        .into_iter()
        .map(|v| match v {
            serde_json::Value::String(s) => Some(s),
            serde_json::Value::Number(n) => n.as_f64().map(|x| format!("{x}")),
            _ => None,
        })
        .collect()
}

/// Converts a core result into a JavaScript value.
pub fn out<T: Serialize>(r: apertura::Result<T>) -> JsResult<JsValue> {
    to_js(&js(r)?)
}
