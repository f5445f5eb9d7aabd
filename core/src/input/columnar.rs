//! Wide tables given column by column ([`read_columns`]): text columns and numeric
//! columns (numpy arrays, `Float64Array`s), the path of the Python and JavaScript frames.

use crate::edition::Edition;
use crate::error::{InputError, InputErrorKind, Result};
use crate::input::dataset::{Cell, Column, Dataset};
use crate::input::read::{read_rows, role_of, Role};

/// Reads a wide table given column by column: text columns (metadata, or scores written
/// as text) and numeric columns (`f64`, e.g. a numpy array or a `Float64Array`; `NaN` is
/// rejected when scoring, never read as missing). Numeric columns that name no node are
/// kept as text metadata. Columns must all have the same length.
pub fn read_columns(
    text_columns: Vec<(String, Vec<String>)>,
    numeric_columns: Vec<(String, Vec<f64>)>,
    edition: &Edition,
    source: &str,
) -> Result<Dataset> {
    let len = text_columns
        .first()
        .map(|c| c.1.len())
        .or_else(|| numeric_columns.first().map(|c| c.1.len()))
        .unwrap_or(0);
    for (h, c) in text_columns
        .iter()
        .map(|(h, c)| (h, c.len()))
        .chain(numeric_columns.iter().map(|(h, c)| (h, c.len())))
    {
        if c != len {
            return Err(InputError::new(
                InputErrorKind::Malformed,
                format!("column has {c} values, expected {len}"),
            )
            .source(source)
            .column(h.as_str())
            .into());
        }
    }
    let (node_numeric, meta_numeric): (Vec<_>, Vec<_>) = numeric_columns
        .into_iter()
        .partition(|(h, _)| matches!(role_of(h, edition), Role::Node(_)));
    let mut headers: Vec<String> = text_columns.iter().map(|(h, _)| h.clone()).collect();
    headers.extend(meta_numeric.iter().map(|(h, _)| h.clone()));
    let rows: Vec<(usize, Vec<String>)> = (0..len)
        .map(|i| {
            let mut r: Vec<String> = text_columns.iter().map(|(_, c)| c[i].clone()).collect();
            r.extend(meta_numeric.iter().map(|(_, c)| format!("{}", c[i])));
            (i + 1, r)
        })
        .collect();
    let mut data = read_rows(&headers, rows, edition, source)?;
    for (h, values) in node_numeric {
        if data
            .columns
            .iter()
            .any(|c| edition.resolve_column(&c.header) == edition.resolve_column(&h))
        {
            return Err(InputError::new(InputErrorKind::Malformed, "node given twice")
                .source(source)
                .column(h.as_str())
                .into());
        }
        data.columns.push(Column {
            header: h,
            cells: values.into_iter().map(Cell::Value).collect(),
            rows: None,
            answers: None,
        });
    }
    Ok(data)
}
