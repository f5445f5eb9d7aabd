//! The CSV reader: bytes or a file to a [`Dataset`] (wide, long or grouped, detected from
//! the header; see [`crate::input::read`] for the layouts and cells).
//!
//! Wide files, the common case, are read record by record: the role of every column is
//! decided once from the header, each cell is decoded in place and parsed straight into
//! the dataset's columns, so no `String` is made per cell (only the id, the name and text
//! metadata are kept). Lines free of `"` are split by hand (at line ends and commas, with
//! `memchr`), which gives the records the `csv` crate gives for such lines; from the first
//! line holding a `"` on, the `csv` crate reads the rest. A file is read in chunks of
//! [`CHUNK`] bytes ([`read_csv_file`]), never whole, so its bytes and its cells are not
//! held at once. A body of more than [`PARALLEL_MIN`] bytes is split at a line end near
//! its middle and the halves are read on two threads (feature `parallel`); if the first
//! half holds a `"` (a quoted field might span the cut), its thread reads on to the end
//! and the second half's work is dropped. The halves are joined in order, row numbers and
//! errors exactly as one thread gives them. Long and grouped files go through rows of
//! text cells.

use std::borrow::Cow;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;

use ::csv::{ByteRecord, ReaderBuilder};

use crate::edition::Edition;
use crate::error::{Error, InputError, InputErrorKind, Result};
use crate::input::dataset::{Cell, Dataset};
use crate::input::filter::{filter_rows, resolve_filters, RowFilter};
use crate::input::grouped::group_column;
use crate::input::read::{is_long, parse_cell_bytes, read_rows, Builder, FieldRef, RowFields, Wide};

/// Bodies at least this large (bytes) are read on two threads.
pub const PARALLEL_MIN: usize = 1 << 20;

/// Bytes read from a file at a time (the buffer grows for a longer line).
pub const CHUNK: usize = 1 << 18;

const BOM: &[u8] = b"\xEF\xBB\xBF";

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
    read_from(Src::Bytes(bytes), edition, source, filters)
}

/// [`read_csv_where`] on a file, read in chunks of [`CHUNK`] bytes (two threads, each
/// with its own handle, for a large file): the whole file is never in memory, so reading
/// needs about the memory of the dataset it makes. Gives the same dataset, and the same
/// errors, as [`read_csv_where`] on the file's bytes; a file that cannot be opened or
/// read is an `io` usage error naming `source`.
pub fn read_csv_file(path: &Path, edition: &Edition, source: &str, filters: &[RowFilter]) -> Result<Dataset> {
    let len = File::open(path)
        .and_then(|f| f.metadata())
        .map_err(|e| cannot_read(source, e))?
        .len();
    read_from(Src::File(path, len as usize), edition, source, filters)
}

/// Where the bytes come from: memory, or a file of that length.
#[derive(Clone, Copy)]
enum Src<'a> {
    Bytes(&'a [u8]),
    File(&'a Path, usize),
}

/// A reader of a [`Src`] from some offset.
enum At<'a> {
    Bytes(&'a [u8]),
    File(File),
}

impl Read for At<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            At::Bytes(b) => b.read(buf),
            At::File(f) => f.read(buf),
        }
    }
}

impl<'a> Src<'a> {
    fn len(self) -> usize {
        match self {
            Src::Bytes(b) => b.len(),
            Src::File(_, len) => len,
        }
    }
    fn open_at(self, at: usize) -> io::Result<At<'a>> {
        match self {
            Src::Bytes(b) => Ok(At::Bytes(&b[at.min(b.len())..])),
            Src::File(path, _) => Ok(At::File(open_file(path, at)?)),
        }
    }
    /// Up to `n` bytes from `at` (fewer at the end).
    fn head(self, at: usize, n: usize) -> io::Result<Cow<'a, [u8]>> {
        match self {
            Src::Bytes(b) => Ok(Cow::Borrowed(&b[at.min(b.len())..(at + n).min(b.len())])),
            Src::File(..) => {
                let mut buf = Vec::with_capacity(n);
                self.open_at(at)?.take(n as u64).read_to_end(&mut buf)?;
                Ok(Cow::Owned(buf))
            }
        }
    }
}

/// The file, positioned at byte `at`.
fn open_file(path: &Path, at: usize) -> io::Result<File> {
    let mut f = File::open(path)?;
    f.seek(SeekFrom::Start(at as u64))?;
    Ok(f)
}

fn cannot_read(source: &str, e: io::Error) -> Error {
    Error::usage("io", format!("cannot read {source}: {e}"))
}

fn read_from(src: Src<'_>, edition: &Edition, source: &str, filters: &[RowFilter]) -> Result<Dataset> {
    let io = |e| cannot_read(source, e);
    let head = src.head(0, CHUNK).map_err(io)?;
    let bom = if head.starts_with(BOM) { BOM.len() } else { 0 };
    let mut reader = builder(true).from_reader(src.open_at(bom).map_err(io)?);
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
    let start = bom + reader.position().byte() as usize;
    drop(reader);
    let filters = resolve_filters(&headers, filters, source)?;
    let hint = |from: usize, to: usize| rows_hint(src, &head, start, from, to) + 1;
    let new = |capacity| Wide::new(Builder::new(edition, source), &headers, capacity);
    let stopped = |offset: usize| move |s: Stop| malformed(source, s.message, Some(s.row + offset));
    #[cfg(feature = "parallel")]
    if let Some(cut) = split_point(src, start).map_err(io)? {
        // The first half reserves room for all rows, so that appending the second half
        // does not reallocate (and briefly double) every column.
        let (all, later) = (hint(start, src.len()), hint(cut, src.len()));
        let (a, b) = rayon::join(
            || read_body(src, start, Some(cut), new(all), &filters),
            || read_body(src, cut, None, new(later), &filters),
        );
        let mut a = a.map_err(stopped(0))?;
        if a.past_cut {
            return a.w.finish();
        }
        let b = b.map_err(stopped(a.records))?;
        a.w.append(b.w, a.records);
        return a.w.finish();
    }
    let part = read_body(src, start, None, new(hint(start, src.len())), &filters).map_err(stopped(0))?;
    part.w.finish()
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
fn next<R: Read>(reader: &mut ::csv::Reader<R>, rec: &mut ByteRecord, k: usize, source: &str) -> Result<bool> {
    reader
        .read_byte_record(rec)
        .map_err(|e| malformed(source, format!("cannot parse: {e}"), Some(k + 1)))
}

/// A field as text: borrowed when UTF-8 (always, in practice), else lossily replaced.
fn text(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(t) => Cow::Borrowed(t),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

/// A record's fields as raw bytes.
trait Raw: RowFields {
    /// Field `k` (< `count()`).
    fn raw(&self, k: usize) -> &[u8];
}

impl RowFields for ByteRecord {
    fn count(&self) -> usize {
        self.len()
    }
    fn field(&self, k: usize) -> FieldRef<'_> {
        FieldRef::Text(text(&self[k]))
    }
    fn cell(&self, k: usize) -> Option<Cell> {
        parse_cell_bytes(&self[k])
    }
}

impl Raw for ByteRecord {
    fn raw(&self, k: usize) -> &[u8] {
        &self[k]
    }
}

/// A line without `"` split at its commas: field `k` ends at `ends[k]` and starts after
/// the comma ending field `k - 1`.
struct Line<'a> {
    bytes: &'a [u8],
    ends: &'a [usize],
}

impl Raw for Line<'_> {
    fn raw(&self, k: usize) -> &[u8] {
        let from = if k == 0 { 0 } else { self.ends[k - 1] + 1 };
        &self.bytes[from..self.ends[k]]
    }
}

impl RowFields for Line<'_> {
    fn count(&self) -> usize {
        self.ends.len()
    }
    fn field(&self, k: usize) -> FieldRef<'_> {
        FieldRef::Text(text(self.raw(k)))
    }
    fn cell(&self, k: usize) -> Option<Cell> {
        parse_cell_bytes(self.raw(k))
    }
}

/// A record whose every field is blank (a line of commas or spaces): skipped.
fn blank<R: Raw + ?Sized>(rec: &R) -> bool {
    (0..rec.count()).all(|k| text(rec.raw(k)).trim().is_empty())
}

/// A record stopped reading (`cannot parse`, `cannot read`) at this row of its part.
struct Stop {
    row: usize,
    message: String,
}

/// The rows one thread read: the dataset so far, the number of records read (blank and
/// filtered ones included: they count in row numbers), and whether the reading went on
/// past the cut it was given (a `"` before it).
struct Part<'e> {
    w: Wide<'e>,
    records: usize,
    past_cut: bool,
}

/// Counts, filters and pushes one record (the `k`-th).
fn accept<R: Raw + ?Sized>(w: &mut Wide<'_>, rec: &R, k: usize, filters: &[(usize, &RowFilter)]) {
    if blank(rec) {
        return;
    }
    let keep = filters.iter().all(|(c, f)| {
        let cell = if *c < rec.count() {
            text(rec.raw(*c))
        } else {
            Cow::Borrowed("")
        };
        (cell.trim() == f.value) != f.negate
    });
    if keep {
        w.push(k, rec);
    }
}

/// Splits lines without `"` (`chunk` ends at a line end, or at the end of the input) into
/// the records the `csv` crate finds there: a record is a run of bytes other than `\r`
/// and `\n` (so empty lines are none), its fields are split at commas.
fn split(chunk: &[u8], ends: &mut Vec<usize>, mut each: impl FnMut(&Line<'_>)) {
    let mut from = 0;
    for end in memchr::memchr2_iter(b'\n', b'\r', chunk).chain(std::iter::once(chunk.len())) {
        let bytes = &chunk[from.min(end)..end];
        from = end + 1;
        if bytes.is_empty() {
            continue;
        }
        ends.clear();
        ends.extend(memchr::memchr_iter(b',', bytes));
        ends.push(bytes.len());
        each(&Line { bytes, ends });
    }
}

/// Reads the records of lines without `"` after `k` records.
fn lines(w: &mut Wide<'_>, chunk: &[u8], k: &mut usize, ends: &mut Vec<usize>, filters: &[(usize, &RowFilter)]) {
    split(chunk, ends, |line| {
        *k += 1;
        accept(w, line, *k, filters);
    });
}

/// Reads the rest of the records with the `csv` crate (after `k` records).
fn with_csv<R: Read>(w: &mut Wide<'_>, r: R, k: &mut usize, filters: &[(usize, &RowFilter)]) -> Result<(), Stop> {
    let mut reader = builder(false).from_reader(r);
    let mut rec = ByteRecord::new();
    loop {
        match reader.read_byte_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => return Ok(()),
            Err(e) => {
                return Err(Stop {
                    row: *k + 1,
                    message: format!("cannot parse: {e}"),
                })
            }
        }
        *k += 1;
        accept(w, &rec, *k, filters);
    }
}

/// Where the line holding byte `q` starts.
fn line_start(bytes: &[u8], q: usize) -> usize {
    memchr::memrchr2(b'\n', b'\r', &bytes[..q]).map_or(0, |p| p + 1)
}

/// Reads the records of the body from byte `from` (a record start) into `w`: to the end,
/// or to `cut` (a line end) unless a `"` comes before it.
fn read_body<'e>(
    src: Src<'_>,
    from: usize,
    cut: Option<usize>,
    mut w: Wide<'e>,
    filters: &[(usize, &RowFilter)],
) -> Result<Part<'e>, Stop> {
    let mut k = 0;
    let mut ends = Vec::new();
    let end = cut.unwrap_or(src.len()).max(from);
    let part = |w, k| Part {
        w,
        records: k,
        past_cut: false,
    };
    let past = |w, k| Part {
        w,
        records: k,
        past_cut: cut.is_some(),
    };
    match src {
        Src::Bytes(all) => {
            let body = &all[from.min(all.len())..end];
            match memchr::memchr(b'"', body) {
                None => {
                    lines(&mut w, body, &mut k, &mut ends, filters);
                    Ok(part(w, k))
                }
                Some(q) => {
                    let s = line_start(body, q);
                    lines(&mut w, &body[..s], &mut k, &mut ends, filters);
                    with_csv(&mut w, &all[from + s..], &mut k, filters)?;
                    Ok(past(w, k))
                }
            }
        }
        Src::File(path, _) => {
            let cannot = |k: usize| {
                move |e: io::Error| Stop {
                    row: k + 1,
                    message: format!("cannot read: {e}"),
                }
            };
            let mut file = open_file(path, from).map_err(cannot(k))?;
            let mut left = end - from;
            let mut buf = vec![0u8; CHUNK];
            let mut have = 0;
            loop {
                if have == buf.len() {
                    // A line longer than the buffer.
                    buf.resize(2 * buf.len(), 0);
                }
                let want = (buf.len() - have).min(left);
                let n = if want == 0 {
                    0
                } else {
                    loop {
                        match file.read(&mut buf[have..have + want]) {
                            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                            r => break r.map_err(cannot(k))?,
                        }
                    }
                };
                left -= n;
                have += n;
                let done = n == 0;
                let upto = if done {
                    have
                } else {
                    match memchr::memrchr2(b'\n', b'\r', &buf[..have]) {
                        Some(p) => p + 1,
                        None => continue,
                    }
                };
                if let Some(q) = memchr::memchr(b'"', &buf[..upto]) {
                    let s = line_start(&buf, q);
                    lines(&mut w, &buf[..s], &mut k, &mut ends, filters);
                    with_csv(&mut w, io::Cursor::new(&buf[s..have]).chain(file), &mut k, filters)?;
                    return Ok(past(w, k));
                }
                lines(&mut w, &buf[..upto], &mut k, &mut ends, filters);
                buf.copy_within(upto..have, 0);
                have -= upto;
                if done {
                    return Ok(part(w, k));
                }
            }
        }
    }
}

/// Where to split the body (from byte `start`) in two for two threads: just after the
/// line end nearest its middle, if it is large.
#[cfg(feature = "parallel")]
fn split_point(src: Src<'_>, start: usize) -> io::Result<Option<usize>> {
    let len = src.len();
    if len.saturating_sub(start) < PARALLEL_MIN || rayon::current_num_threads() < 2 {
        return Ok(None);
    }
    let mut at = start + (len - start) / 2;
    while at < len {
        let bytes = src.head(at, 1 << 16)?;
        if bytes.is_empty() {
            break;
        }
        if let Some(p) = memchr::memchr(b'\n', &bytes) {
            let cut = at + p + 1;
            return Ok((cut < len).then_some(cut));
        }
        at += bytes.len();
    }
    Ok(None)
}

/// Rows to reserve room for between bytes `from` and `to`: the line ends there (in
/// memory), or as many as the first chunk's lines from `start` on make likely.
fn rows_hint(src: Src<'_>, head: &[u8], start: usize, from: usize, to: usize) -> usize {
    match src {
        Src::Bytes(b) => rows_in(&b[from.min(b.len())..to.min(b.len())]),
        Src::File(..) => {
            let sample = head.get(start..).unwrap_or_default();
            if sample.len() >= to.saturating_sub(start) {
                return rows_in(head.get(from..to.min(head.len())).unwrap_or_default());
            }
            let per_line = sample.len() as f64 / rows_in(sample).max(1) as f64;
            // A tenth more than the estimate: too many costs address space only.
            (1.1 * to.saturating_sub(from) as f64 / per_line) as usize + 16
        }
    }
}

/// Number of line ends in `bytes`.
fn rows_in(bytes: &[u8]) -> usize {
    memchr::memchr_iter(b'\n', bytes).count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The records of `text` as the `csv` crate reads them (no header).
    fn by_csv(text: &[u8]) -> Vec<Vec<Vec<u8>>> {
        let mut reader = builder(false).from_reader(text);
        let mut rec = ByteRecord::new();
        let mut out = Vec::new();
        while reader.read_byte_record(&mut rec).unwrap() {
            out.push(rec.iter().map(<[u8]>::to_vec).collect());
        }
        out
    }

    fn by_split(text: &[u8]) -> Vec<Vec<Vec<u8>>> {
        let mut out = Vec::new();
        split(text, &mut Vec::new(), |line| {
            out.push((0..line.count()).map(|k| line.raw(k).to_vec()).collect());
        });
        out
    }

    #[test]
    fn split_lines_as_csv_does() {
        for text in ["a,b\n\nc,,d\r\n\r\n,\r\re", "", "\n\r\n", " , \n x", "a,b,\n"] {
            assert_eq!(by_split(text.as_bytes()), by_csv(text.as_bytes()), "{text:?}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        /// Any text without `"`: line ends of every kind, empty lines, empty fields,
        /// spaces, bytes beyond ASCII.
        #[test]
        fn split_is_csv_without_quotes(parts in proptest::collection::vec(
            prop_oneof![Just(&b"\n"[..]), Just(&b"\r"[..]), Just(&b"\r\n"[..]), Just(&b","[..]),
                        Just(&b" "[..]), Just(&b"0.5"[..]), Just(&b"NA"[..]), Just(&b"\xC3\xA9"[..]),
                        Just(&b"\xFF"[..]), Just(&b"\t"[..])], 0..60)) {
            let text = parts.concat();
            prop_assert_eq!(by_split(&text), by_csv(&text));
        }
    }
}
