//! The JSON readers: an array of objects (wide rows, or long rows with `node` and
//! `value` keys), or an object with such an array under `institutions`; see
//! [`crate::input::read`] for the layouts and cells.

use serde_json::Value;

use crate::edition::Edition;
use crate::error::{Error, InputError, InputErrorKind, Result};
use crate::input::dataset::Dataset;
use crate::input::read::{read_fields, Field};

fn json_text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Reads JSON text: an array of objects (wide rows, or long rows with `node` and `value`
/// keys), or an object with such an array under `institutions`.
pub fn read_json(text: &str, edition: &Edition, source: &str) -> Result<Dataset> {
    let v: Value = serde_json::from_str(text).map_err(|e| {
        let mut err = InputError::new(InputErrorKind::Malformed, format!("invalid JSON: {e}")).source(source);
        err.row = Some(e.line());
        Error::from(err)
    })?;
    read_records(&v, edition, source)
}

/// Reads already-parsed records (the shape [`read_json`] accepts): what the Python and
/// JavaScript bindings pass for a list of dicts or an array of plain objects.
pub fn read_records(v: &Value, edition: &Edition, source: &str) -> Result<Dataset> {
    let arr = match v {
        Value::Array(a) => a,
        Value::Object(o) => match o.get("institutions") {
            Some(Value::Array(a)) => a,
            _ => {
                return Err(InputError::new(
                    InputErrorKind::Malformed,
                    "expected an array of objects, or {\"institutions\": [...]}",
                )
                .source(source)
                .into())
            }
        },
        _ => {
            return Err(
                InputError::new(InputErrorKind::Malformed, "expected an array of objects")
                    .source(source)
                    .into(),
            )
        }
    };
    let mut headers: Vec<String> = Vec::new();
    for (k, item) in arr.iter().enumerate() {
        let Value::Object(o) = item else {
            return Err(InputError::new(InputErrorKind::Malformed, "expected an object")
                .source(source)
                .row(k + 1)
                .into());
        };
        for key in o.keys() {
            if !headers.contains(key) {
                headers.push(key.clone());
            }
        }
    }
    let rows = arr
        .iter()
        .enumerate()
        .map(|(k, item)| {
            let o = item.as_object().expect("checked");
            (
                k + 1,
                headers
                    .iter()
                    .map(|h| match o.get(h) {
                        Some(Value::Number(x)) => x
                            .as_f64()
                            .map(Field::Number)
                            .unwrap_or_else(|| Field::Text(x.to_string())),
                        Some(v) => Field::Text(json_text(v)),
                        None => Field::Text(String::new()),
                    })
                    .collect(),
            )
        })
        .collect();
    read_fields(&headers, rows, edition, source)
}
