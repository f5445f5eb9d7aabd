//! Row filters on input files: [`RowFilter`] (`year=2015`, `place!=sg`), applied before
//! any row is read, the generic `--where` of the CLI.

use crate::error::{InputError, InputErrorKind, Result};

/// Keeps the rows whose `column` equals `value` (or differs from it, `!=`), comparing the
/// trimmed text exactly.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowFilter {
    /// Column name (matched ignoring case and surrounding spaces).
    pub column: String,
    /// Value compared with the trimmed cell.
    pub value: String,
    /// Keep the rows that differ instead.
    pub negate: bool,
}

impl RowFilter {
    /// Parses `COLUMN=VALUE` or `COLUMN!=VALUE`.
    ///
    /// ```
    /// use apertura::io::RowFilter;
    /// let f = RowFilter::parse("year=2015").unwrap();
    /// assert_eq!((f.column.as_str(), f.value.as_str(), f.negate), ("year", "2015", false));
    /// assert!(RowFilter::parse("place!=sg").unwrap().negate);
    /// assert!(RowFilter::parse("year").is_err());
    /// ```
    pub fn parse(text: &str) -> std::result::Result<RowFilter, String> {
        let (column, value, negate) = match text.split_once("!=") {
            Some((c, v)) => (c, v, true),
            None => match text.split_once('=') {
                Some((c, v)) => (c, v, false),
                None => return Err(format!("{text:?} is not COLUMN=VALUE or COLUMN!=VALUE")),
            },
        };
        if column.trim().is_empty() {
            return Err(format!("{text:?} names no column"));
        }
        Ok(RowFilter {
            column: column.trim().to_string(),
            value: value.trim().to_string(),
            negate,
        })
    }
}

/// The rows every filter accepts. A filter naming a column the header lacks is an error
/// naming the file and the column.
#[cfg_attr(not(feature = "csv"), allow(dead_code))]
pub(crate) fn filter_rows(
    headers: &[String],
    rows: Vec<(usize, Vec<String>)>,
    filters: &[RowFilter],
    source: &str,
) -> Result<Vec<(usize, Vec<String>)>> {
    if filters.is_empty() {
        return Ok(rows);
    }
    let at = resolve_filters(headers, filters, source)?;
    Ok(rows
        .into_iter()
        .filter(|(_, fields)| {
            at.iter().all(|(k, f)| {
                let cell = fields.get(*k).map_or("", |c| c.trim());
                (cell == f.value) != f.negate
            })
        })
        .collect())
}

/// Each filter's column position (an error naming the column if the header lacks it).
#[cfg_attr(not(feature = "csv"), allow(dead_code))]
pub(crate) fn resolve_filters<'f>(
    headers: &[String],
    filters: &'f [RowFilter],
    source: &str,
) -> Result<Vec<(usize, &'f RowFilter)>> {
    filters
        .iter()
        .map(|f| {
            headers
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(&f.column))
                .map(|k| (k, f))
                .ok_or_else(|| {
                    InputError::new(
                        InputErrorKind::Malformed,
                        format!(
                            "no column {:?} to filter on (columns: {})",
                            f.column,
                            headers.join(", ")
                        ),
                    )
                    .source(source)
                    .column(f.column.as_str())
                    .into()
                })
        })
        .collect()
}
