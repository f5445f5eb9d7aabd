//! The CSV reader: bytes to a [`Dataset`] (wide, long or grouped, detected from the
//! header; see [`crate::input::read`] for the layouts and cells).
//!
//! Wide files, the common case, are read record by record from `csv` byte records: the
//! role of every column is decided once from the header, each cell is decoded in place and
//! parsed straight into the dataset's columns, so no `String` is made per cell (only the
//! id, the name and text metadata are kept). A file of more than [`PARALLEL_MIN`] bytes
//! without any `"` is split at a line end into two halves read on two threads (feature
//! `parallel`); the halves are joined in order, row numbers and errors exactly as one
//! thread gives them. Long and grouped files go through rows of text cells.

use std::borrow::Cow;

use ::csv::{ByteRecord, ReaderBuilder};

use crate::edition::Edition;
use crate::error::{Error, InputError, InputErrorKind, Result};
use crate::input::dataset::Dataset;
use crate::input::filter::{filter_rows, resolve_filters, RowFilter};
use crate::input::grouped::group_column;
use crate::input::read::{is_long, read_rows, Builder, FieldRef, RowFields, Wide};

/// Files at least this large (bytes) and free of quotes are read on two threads.
pub const PARALLEL_MIN: usize = 1 << 20;

/// Reads CSV (wide, long or grouped, detected from the header) from raw bytes.
///
/// `source` names the file in error messages. Bytes that are not UTF-8 are replaced
/// (lossy decoding, field by field: the same text as decoding the whole file first).
pub fn read_csv(bytes: &[u8], edition: &Edition, source: &str) -> Result<Dataset> {
    read_csv_where(bytes, edition, source, &[])
}

/// [`read_csv`] keeping only the rows every filter accepts (`--where year=2015`: the
/// GODI entries file holds three years). A filter on a column the file lacks is an error.
pub fn read_csv_where(bytes: &[u8], edition: &Edition, source: &str, filters: &[RowFilter]) -> Result<Dataset> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = builder(true).from_reader(bytes);
    let headers: Vec<String> = reader
        .byte_headers()
        .map_err(|e| malformed(source, format!("cannot read the header: {e}"), None))?
        .iter()
        .map(|h| String::from_utf8_lossy(h).trim().to_string())
        .collect();
    if headers.iter().all(|h| h.is_empty()) {
        return Err(malformed(source, "empty file or empty header".into(), None));
    }
    if group_column(&headers, edition).is_some() || is_long(&headers) {
        let mut rows = Vec::new();
        let mut rec = ByteRecord::new();
        let mut k = 0;
        while next(&mut reader, &mut rec, k, source)? {
            k += 1;
            if blank(&rec) {
                continue;
            }
            rows.push((k, rec.iter().map(|f| String::from_utf8_lossy(f).into_owned()).collect()));
        }
        let rows = filter_rows(&headers, rows, filters, source)?;
        return read_rows(&headers, rows, edition, source);
    }
    let filters = resolve_filters(&headers, filters, source)?;
    let body = &bytes[reader.position().byte() as usize..];
    let new = || Builder {
        edition,
        source: source.to_string(),
        errors: Vec::new(),
    };
    #[cfg(feature = "parallel")]
    if let Some(cut) = split_point(body) {
        let (first, second) = body.split_at(cut);
        // The first half reserves room for all rows, so that appending the second half
        // does not reallocate (and briefly double) every column.
        let (all, later) = (rows_in(body) + 1, rows_in(second) + 1);
        let (a, b) = rayon::join(
            || read_wide(Wide::new(new(), &headers, all), first, &filters, source),
            || read_wide(Wide::new(new(), &headers, later), second, &filters, source),
        );
        let (mut a, records) = a?;
        let (b, _) = b?;
        a.append(b, records);
        return a.finish();
    }
    let capacity = rows_in(body) + 1;
    let (w, _) = read_wide(Wide::new(new(), &headers, capacity), body, &filters, source)?;
    w.finish()
}

fn builder(has_headers: bool) -> ReaderBuilder {
    let mut b = ReaderBuilder::new();
    b.flexible(true).has_headers(has_headers).buffer_capacity(1 << 16);
    b
}

fn malformed(source: &str, msg: String, row: Option<usize>) -> Error {
    let mut e = InputError::new(InputErrorKind::Malformed, msg).source(source);
    e.row = row;
    Error::from(e)
}

/// The next record into `rec`; `false` at the end. `k` records were read before.
fn next<R: std::io::Read>(reader: &mut ::csv::Reader<R>, rec: &mut ByteRecord, k: usize, source: &str) -> Result<bool> {
    reader
        .read_byte_record(rec)
        .map_err(|e| malformed(source, format!("cannot parse: {e}"), Some(k + 1)))
}

/// A record whose every field is blank (a line of commas or spaces): skipped.
fn blank(rec: &ByteRecord) -> bool {
    rec.iter().all(|f| text(f).trim().is_empty())
}

/// A field as text: borrowed when UTF-8 (always, in practice), else lossily replaced.
fn text(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(t) => Cow::Borrowed(t),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

impl RowFields for ByteRecord {
    fn count(&self) -> usize {
        self.len()
    }
    fn field(&self, k: usize) -> FieldRef<'_> {
        FieldRef::Text(text(&self[k]))
    }
}

/// Reads the records of `body` (no header) into `w`; returns it and the number of
/// records read (blank and filtered ones included: they count in row numbers).
fn read_wide<'e>(
    mut w: Wide<'e>,
    body: &[u8],
    filters: &[(usize, &RowFilter)],
    source: &str,
) -> Result<(Wide<'e>, usize)> {
    let mut reader = builder(false).from_reader(body);
    let mut rec = ByteRecord::new();
    let mut k = 0;
    while next(&mut reader, &mut rec, k, source)? {
        k += 1;
        if blank(&rec) {
            continue;
        }
        let keep = filters.iter().all(|(c, f)| {
            let cell = rec.get(*c).map_or(Cow::Borrowed(""), text);
            (cell.trim() == f.value) != f.negate
        });
        if keep {
            w.push(k, &rec);
        }
    }
    Ok((w, k))
}

/// Where to split `body` in two for two threads: just after the line end nearest its
/// middle, if it is large and has no quote (so a line end always ends a record).
#[cfg(feature = "parallel")]
fn split_point(body: &[u8]) -> Option<usize> {
    if body.len() < PARALLEL_MIN || rayon::current_num_threads() < 2 || memchr::memchr(b'"', body).is_some() {
        return None;
    }
    let mid = body.len() / 2;
    let cut = mid + memchr::memchr(b'\n', &body[mid..])? + 1;
    (cut < body.len()).then_some(cut)
}

/// Number of line ends in `bytes`: the rows to reserve room for.
fn rows_in(bytes: &[u8]) -> usize {
    memchr::memchr_iter(b'\n', bytes).count()
}
