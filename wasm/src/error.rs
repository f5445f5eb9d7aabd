//! Errors: every core error becomes a real JavaScript `Error` (so `instanceof Error`
//! holds and it has a stack), named `AperturaError`, with the stable `.code` of the core
//! ([`apertura::Error::code`]), the location of the first problem (`.factor`,
//! `.institution`, `.item`, `.row`, `.column`, `.value`; `null` when unknown) and
//! `.errors`, the list of every problem found, each
//! `{code, message, factor, institution, item, row, column, value}`. `.factor` is the
//! robustness factor (`w:tg`, `agg:p`...) of a robustness error; `.row`, `.column` and
//! `.value` of a robustness error locate a cell of an imported design.
//! Edition errors also carry `.edition` (the edition id, or the file's best guess).
//!
//! A Rust panic (a bug) is thrown as the same kind of `Error` with `code === "panic"`;
//! the module then re-instantiates itself before the next call (see [`panic_hook`]).

use apertura::error::EditionProblem;
use apertura::{Error, InputError, InputErrorKind};
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;

/// One problem, as exposed in `error.errors`.
struct Problem {
    code: &'static str,
    message: String,
    factor: Option<String>,
    institution: Option<String>,
    item: Option<String>,
    row: Option<usize>,
    column: Option<String>,
    value: Option<String>,
}

impl Problem {
    fn bare(code: &'static str, message: String) -> Problem {
        Problem {
            code,
            message,
            factor: None,
            institution: None,
            item: None,
            row: None,
            column: None,
            value: None,
        }
    }

    fn from_input(e: &InputError) -> Problem {
        Problem {
            code: e.code(),
            message: e.message.clone(),
            factor: None,
            institution: e.institution.clone(),
            item: e.item.clone(),
            row: e.row,
            column: e.column.clone(),
            value: e.value.clone(),
        }
    }

    /// Writes the location fields (and `code`) onto `target`.
    fn set_fields(&self, target: &JsValue) {
        let opt = |v: &Option<String>| v.as_deref().map(JsValue::from_str).unwrap_or(JsValue::NULL);
        set(target, "code", &JsValue::from_str(self.code));
        set(target, "factor", &opt(&self.factor));
        set(target, "institution", &opt(&self.institution));
        set(target, "item", &opt(&self.item));
        set(
            target,
            "row",
            &self.row.map(|r| JsValue::from_f64(r as f64)).unwrap_or(JsValue::NULL),
        );
        set(target, "column", &opt(&self.column));
        set(target, "value", &opt(&self.value));
    }

    fn to_object(&self) -> JsValue {
        let o: JsValue = Object::new().into();
        set(&o, "code", &JsValue::from_str(self.code));
        set(&o, "message", &JsValue::from_str(&self.message));
        self.set_fields(&o);
        o
    }
}

fn set(target: &JsValue, key: &str, value: &JsValue) {
    // Setting a property on a fresh Error or plain object cannot fail.
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}

/// The node an edition problem is about, reported as `.item`.
fn edition_node(p: &EditionProblem) -> Option<String> {
    match p {
        EditionProblem::DuplicateNode { node }
        | EditionProblem::UnknownNode { node, .. }
        | EditionProblem::SharedChild { node, .. }
        | EditionProblem::Unreachable { node, .. }
        | EditionProblem::BadShape { node, .. }
        | EditionProblem::WeightSum { node, .. } => Some(node.clone()),
        EditionProblem::InvalidWeight { child, .. } => Some(child.clone()),
        _ => None,
    }
}

fn problems(e: &Error) -> Vec<Problem> {
    match e {
        Error::Input(list) => list.errors().iter().map(Problem::from_input).collect(),
        Error::Edition(ed) => {
            let mut p = Problem::bare(ed.code(), ed.problem.to_string());
            p.item = edition_node(&ed.problem);
            vec![p]
        }
        Error::Robustness(r) => vec![Problem {
            code: r.code(),
            message: r.message.clone(),
            factor: r.factor.clone(),
            institution: r.institution.clone(),
            item: None,
            row: r.row,
            column: r.column.clone(),
            value: r.value.clone(),
        }],
        Error::Usage { code, message } => vec![Problem::bare(code, message.clone())],
    }
}

fn build(message: &str, list: &[Problem], edition: Option<&str>) -> JsValue {
    let err = js_sys::Error::new(message);
    err.set_name("AperturaError");
    let err: JsValue = err.into();
    list[0].set_fields(&err);
    let all: Array = list.iter().map(Problem::to_object).collect();
    set(&err, "errors", &all);
    if let Some(id) = edition {
        set(&err, "edition", &JsValue::from_str(id));
    }
    err
}

/// A core error as a JavaScript `Error` (see the module documentation).
pub fn to_js(e: Error) -> JsValue {
    let edition = match &e {
        Error::Edition(ed) => Some(ed.edition.clone()),
        _ => None,
    };
    build(&e.to_string(), &problems(&e), edition.as_deref())
}

/// An input error of the binding itself (a value of the wrong JavaScript type), located
/// at `column` (an option key or a column name).
pub fn malformed(message: impl Into<String>, column: Option<&str>) -> Error {
    let mut e = InputError::new(InputErrorKind::Malformed, message).source("input");
    e.column = column.map(str::to_string);
    e.into()
}

/// A usage error of the binding itself (e.g. `invalid_option`).
pub fn usage(code: &'static str, message: impl Into<String>) -> Error {
    Error::Usage {
        code,
        message: message.into(),
    }
}

/// The panic hook: schedules a fresh instance for the next call (the current one may be
/// in an inconsistent state: with `panic = "abort"` no destructor runs) and throws an
/// `AperturaError` with `code === "panic"` and the panic message to the JavaScript caller.
/// Objects (`Edition`, `Scorer`) made before the panic belong to the old instance and
/// throw an `Error` if used afterwards; module functions keep working.
pub fn panic_hook(info: &std::panic::PanicHookInfo<'_>) {
    wasm_bindgen::handler::schedule_reinit();
    let payload = info.payload();
    let what = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string());
    let at = info
        .location()
        .map(|l| format!(" at {}:{}", l.file(), l.line()))
        .unwrap_or_default();
    let message = format!("panic: internal error in apertura{at}: {what} (please report it; the module was reset)");
    let err = build(&message, &[Problem::bare("panic", what)], None);
    wasm_bindgen::throw_val(err);
}

/// Result of a binding function: the thrown value is always an `AperturaError`.
pub type JsResult<T> = Result<T, JsValue>;

/// Maps a core result to a binding result.
pub fn js<T>(r: apertura::Result<T>) -> JsResult<T> {
    r.map_err(to_js)
}
