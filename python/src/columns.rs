//! The column-major path of `apertura.score` (`Plan::score_columns`) for complete frames:
//! every node column numeric without missing values. Node columns are read in place
//! (zero-copy views of the numpy buffers), the results cross back as numpy arrays that own
//! the core's vectors, and metadata columns never cross: `pysrc/apertura/_frames.py`
//! reuses them in the output after checking their distinct values here, through the core's
//! own reader. Anything else (missing or not-applicable cells, long tables, requests) takes
//! the row path (`Dataset`, `Plan::score`), and so does any input error: this path returns
//! `None` and the row path then reports the problems exactly as it always has.
//!
//! Columns cross either as numpy arrays and joined strings, or as Arrow arrays: any object
//! with the Arrow PyCapsule interface (`__arrow_c_array__` / `__arrow_c_stream__`: a
//! pyarrow array or chunked array, a polars or pandas >= 2.2 series...) is imported by
//! `pyo3-arrow` (the C data interface, no copy of the buffers), and a table of them
//! (pyarrow, polars, DuckDB...) is split into columns by [`arrow_columns`]. A one-chunk
//! `Float64` column without nulls is read in place; other numeric types are cast to
//! `Float64` (a copy); strings (`utf8`, `large_utf8`, `utf8_view`, dictionaries of them)
//! are borrowed from the Arrow buffers. Nulls are not read here: a column with nulls
//! takes the row path, where they are missing values.

use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, Int64Type, UInt64Type};
use arrow_array::{Array, ArrayRef};
use arrow_schema::DataType;
use numpy::{PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::PyTuple;
use pyo3_arrow::input::{AnyArray, AnyRecordBatch};
use pyo3_arrow::PyChunkedArray;

use crate::edition::PyEdition;
use crate::error::{guard, to_py, Failure};
use crate::scoring::PyPlan;

/// A one-row read of `columns` by the core's reader (`None` if it reports a problem).
fn read_one(edition: &apertura::Edition, columns: Vec<(String, Vec<String>)>) -> Option<apertura::Dataset> {
    apertura::io::read_columns(columns, Vec::new(), edition, "probe").ok()
}

/// What the core's wide reader makes of each header: ``"node"``, ``"id"``, ``"name"``,
/// ``"jurisdiction"``, ``"level"``, ``"type"`` or ``"meta"`` (any other column). A table
/// the reader takes as long (``node`` and ``value`` columns) has no ``"node"`` header.
///
/// Found by asking the reader itself (no copy of its header vocabulary here): an empty
/// table names the node columns; then each other header is read once, with the value
/// ``Federal`` (valid for every metadata role) next to a ``nombre`` column, and the
/// institution read tells the role.
#[pyfunction]
pub fn column_roles(py: Python<'_>, edition: &PyEdition, headers: Vec<String>) -> PyResult<Vec<&'static str>> {
    let e = &edition.inner;
    py.detach(|| {
        guard(|| {
            let empty = headers.iter().map(|h| (h.clone(), Vec::new())).collect();
            let nodes: Vec<String> = apertura::io::read_columns(empty, Vec::new(), e, "probe")?
                .columns
                .into_iter()
                .map(|c| c.header)
                .collect();
            let probe = "\u{1}";
            Ok(headers
                .iter()
                .map(|h| {
                    if nodes.contains(h) {
                        return "node";
                    }
                    let cols = vec![
                        (h.clone(), vec!["Federal".to_string()]),
                        ("nombre".to_string(), vec![probe.to_string()]),
                    ];
                    let Some(data) = read_one(e, cols) else { return "meta" };
                    let Some(inst) = data.institutions.first() else {
                        return "meta";
                    };
                    if inst.jurisdiction.is_some() {
                        "jurisdiction"
                    } else if inst.level.is_some() {
                        "level"
                    } else if inst.kind.is_some() {
                        "type"
                    } else if inst.metadata.contains_key(h) {
                        "meta"
                    } else if inst.id == "Federal" {
                        "id"
                    } else {
                        // The `nombre` column, read after this one, replaced it.
                        "name"
                    }
                })
                .collect())
        })
    })
    .map_err(|f| to_py(py, f))
}

/// The output of the score table for the distinct values of one metadata column (``role``
/// ``"jurisdiction"``, ``"level"`` or ``"type"``, read under ``header``): each value read by
/// the core's reader, as the row path writes it (canonical name, or ``None`` if empty).
/// ``None`` if the reader rejects a value (the row path then reports it).
#[pyfunction]
pub fn canonical_metadata(
    py: Python<'_>,
    edition: &PyEdition,
    header: String,
    role: &str,
    values: Vec<String>,
) -> PyResult<Option<Vec<Option<String>>>> {
    let e = &edition.inner;
    py.detach(|| {
        guard(|| {
            let Some(data) = read_one(e, vec![(header, values)]) else {
                return Ok(None);
            };
            Ok(Some(
                data.institutions
                    .iter()
                    .map(|x| match role {
                        "jurisdiction" => x.jurisdiction.map(|j| j.name().to_string()),
                        "level" => x.level.map(|l| l.name().to_string()),
                        _ => x.kind.as_ref().map(|k| k.name().to_string()),
                    })
                    .collect(),
            ))
        })
    })
    .map_err(|f| to_py(py, f))
}

/// The distinct objects of an object array, by identity, in order of first appearance;
/// ``None`` if there are more than ``limit`` (then ``set()`` is the better tool). Repeated
/// cells of a metadata column are usually the same object (pandas' CSV reader, Python
/// lists built by repetition), so this reads only pointers: a fraction of hashing them.
#[pyfunction]
pub fn distinct_objects<'py>(
    py: Python<'py>,
    values: PyReadonlyArray1<'py, Py<PyAny>>,
    limit: usize,
) -> PyResult<Option<Vec<Py<PyAny>>>> {
    let Ok(cells) = values.as_slice() else { return Ok(None) };
    let mut seen: Vec<&Py<PyAny>> = Vec::new();
    let mut last = std::ptr::null_mut();
    for c in cells {
        let p = c.as_ptr();
        if p == last {
            continue;
        }
        last = p;
        if !seen.iter().any(|s| s.as_ptr() == p) {
            if seen.len() == limit {
                return Ok(None);
            }
            seen.push(c);
        }
    }
    Ok(Some(seen.into_iter().map(|c| c.clone_ref(py)).collect()))
}

/// A text column as it crosses to [`score_columns`]: ``(joined, separator, length)``, the
/// cells joined into one string, borrowed from Python (no copy on the Rust side).
#[derive(FromPyObject)]
pub struct Cells(PyBackedStr, char, usize);

impl Cells {
    /// The cells, borrowed (`None` if there are not exactly as many as stated, e.g. a cell
    /// holding the separator).
    fn split(&self) -> Option<Vec<&str>> {
        let Cells(s, sep, n) = self;
        let s: &str = s;
        if *n == 0 {
            return s.is_empty().then(Vec::new);
        }
        let mut out = Vec::with_capacity(*n);
        if sep.is_ascii() {
            // A byte scan: faster than `str::split` for short cells.
            let sep = *sep as u8;
            let mut start = 0;
            for (i, &b) in s.as_bytes().iter().enumerate() {
                if b == sep {
                    out.push(&s[start..i]);
                    start = i + 1;
                }
            }
            out.push(&s[start..]);
        } else {
            out.extend(s.split(*sep));
        }
        (out.len() == *n).then_some(out)
    }
}

/// A cell the row path keeps as written: not empty and without surrounding white space
/// (the reader trims metadata, and uses the id as name when the name is empty).
fn kept(s: &str) -> bool {
    // An ASCII byte other than white space at each end decides without decoding a char.
    let plain = |b: u8| b.is_ascii() && !b.is_ascii_whitespace() && b != 0x0b;
    match s.as_bytes() {
        [] => false,
        [first, .., last] | [first @ last] if plain(*first) && plain(*last) => true,
        _ => !s.starts_with(char::is_whitespace) && !s.ends_with(char::is_whitespace),
    }
}

/// A text column as it crosses to [`score_columns`]: joined cells, or an Arrow array.
#[derive(FromPyObject)]
pub enum Text {
    /// ``(joined, separator, length)``.
    Joined(Cells),
    /// Any Arrow array or stream of strings.
    Arrow(AnyArray),
}

/// A numeric column as it crosses to [`score_columns`]: a float64 numpy array (read in
/// place), or an Arrow array.
#[derive(FromPyObject)]
pub enum Numbers<'py> {
    /// A contiguous float64 numpy array.
    Numpy(PyReadonlyArray1<'py, f64>),
    /// Any Arrow array or stream of numbers or booleans.
    Arrow(AnyArray),
}

/// The chunks of an Arrow column (`None` if it cannot be imported).
fn chunks(a: AnyArray) -> Option<Vec<ArrayRef>> {
    a.into_chunked_array().ok().map(|c| c.into_inner().0)
}

/// An Arrow column's chunks as plain string arrays (dictionaries decoded; other types and
/// nulls: `None`).
fn string_chunks(chunks: Vec<ArrayRef>) -> Option<Vec<ArrayRef>> {
    let mut out = Vec::with_capacity(chunks.len());
    for c in chunks {
        if c.null_count() > 0 {
            return None;
        }
        match c.data_type() {
            DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => out.push(c),
            DataType::Dictionary(_, v) if matches!(**v, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View) => {
                out.push(arrow_cast::cast(&c, v).ok()?)
            }
            _ => return None,
        }
    }
    Some(out)
}

/// The cells of string arrays (as made by [`string_chunks`]), borrowed.
fn strs(chunks: &[ArrayRef]) -> Vec<&str> {
    let mut out = Vec::with_capacity(chunks.iter().map(|c| c.len()).sum());
    for c in chunks {
        match c.data_type() {
            DataType::Utf8 => out.extend(c.as_string::<i32>().iter().map(|v| v.unwrap_or(""))),
            DataType::LargeUtf8 => out.extend(c.as_string::<i64>().iter().map(|v| v.unwrap_or(""))),
            _ => out.extend(c.as_string_view().iter().map(|v| v.unwrap_or(""))),
        }
    }
    out
}

/// Integers beyond this are not exact as float64: such a column takes the row path.
const MAX_EXACT_INT: u64 = 1 << 53;

/// A numeric column held for [`score_columns`]: read in place where the layout allows.
enum Held<'py> {
    /// A numpy array (contiguous or not: `as_slice` tells).
    Numpy(PyReadonlyArray1<'py, f64>),
    /// One `Float64` Arrow chunk without nulls: its values buffer, shared.
    Arrow(ArrayRef),
    /// Values cast or concatenated from Arrow chunks.
    Owned(Vec<f64>),
}

impl Held<'_> {
    fn slice(&self) -> Option<&[f64]> {
        match self {
            Held::Numpy(a) => a.as_slice().ok(),
            Held::Arrow(c) => Some(c.as_primitive::<Float64Type>().values()),
            Held::Owned(v) => Some(v),
        }
    }
}

/// An Arrow numeric column as float64: the values buffer itself for one `Float64` chunk,
/// else cast and concatenated (`None`: nulls, a non-numeric type, inexact integers).
fn float_values(chunks: Vec<ArrayRef>) -> Option<Held<'static>> {
    if chunks.iter().any(|c| c.null_count() > 0) {
        return None;
    }
    let usable = |t: &DataType| {
        t == &DataType::Boolean
            || (t.is_numeric()
                && !matches!(
                    t,
                    DataType::Decimal32(..)
                        | DataType::Decimal64(..)
                        | DataType::Decimal128(..)
                        | DataType::Decimal256(..)
                ))
    };
    if !chunks.iter().all(|c| usable(c.data_type())) {
        return None;
    }
    if let [c] = chunks.as_slice() {
        if c.data_type() == &DataType::Float64 {
            return Some(Held::Arrow(c.clone()));
        }
    }
    let mut out = Vec::with_capacity(chunks.iter().map(|c| c.len()).sum());
    for c in &chunks {
        let inexact = match c.data_type() {
            DataType::Int64 => c
                .as_primitive::<Int64Type>()
                .values()
                .iter()
                .any(|v| v.unsigned_abs() > MAX_EXACT_INT),
            DataType::UInt64 => c
                .as_primitive::<UInt64Type>()
                .values()
                .iter()
                .any(|&v| v > MAX_EXACT_INT),
            _ => false,
        };
        if inexact {
            return None;
        }
        if c.data_type() == &DataType::Float64 {
            // One copy, straight from the chunk (polars' CSV reader gives several).
            out.extend_from_slice(c.as_primitive::<Float64Type>().values());
            continue;
        }
        let f = arrow_cast::cast(c, &DataType::Float64).ok()?;
        out.extend_from_slice(f.as_primitive::<Float64Type>().values());
    }
    Some(Held::Owned(out))
}

/// Text cells held for [`score_columns`].
enum HeldText {
    Joined(Cells),
    Arrow(Vec<ArrayRef>),
}

impl HeldText {
    fn new(t: Text) -> Option<Self> {
        match t {
            Text::Joined(c) => Some(HeldText::Joined(c)),
            Text::Arrow(a) => string_chunks(chunks(a)?).map(HeldText::Arrow),
        }
    }

    fn cells(&self) -> Option<Vec<&str>> {
        match self {
            HeldText::Joined(c) => c.split(),
            HeldText::Arrow(a) => Some(strs(a)),
        }
    }
}

/// The columns of an Arrow table (any object with ``__arrow_c_stream__`` or
/// ``__arrow_c_array__``: pyarrow, polars, DuckDB...): ``[(name, chunked array), ...]``,
/// each an Arrow PyCapsule object sharing the table's buffers (no copy). A stream is read
/// to its end.
#[pyfunction]
pub fn arrow_columns(data: AnyRecordBatch) -> PyResult<Vec<(String, PyChunkedArray)>> {
    let table = data.into_table()?;
    let (batches, schema) = table.into_inner();
    schema
        .fields()
        .iter()
        .enumerate()
        .map(|(j, field)| {
            let chunks = batches.iter().map(|b| b.column(j).clone()).collect();
            Ok((field.name().clone(), PyChunkedArray::try_new(chunks, field.clone())?))
        })
        .collect()
}

/// The distinct cells of an Arrow string column, in order of first appearance (``None``
/// stands for a null); ``None`` if the column is not text or has more than ``limit``.
///
/// A linear scan of the few values seen so far (after a check against the previous cell):
/// metadata columns have a handful of distinct values, where this beats hashing each cell.
#[pyfunction]
pub fn arrow_distinct(py: Python<'_>, column: AnyArray, limit: usize) -> Option<Vec<Option<String>>> {
    let chunks = chunks(column)?;
    py.detach(|| {
        let decoded: Vec<ArrayRef> = chunks
            .iter()
            .map(|c| match c.data_type() {
                DataType::Dictionary(_, v) => arrow_cast::cast(c, v).ok(),
                _ => Some(c.clone()),
            })
            .collect::<Option<_>>()?;
        let mut seen: Vec<Option<&str>> = Vec::new();
        let mut keys: Vec<Key> = Vec::new();
        let mut last: Option<Key> = None;
        for c in &decoded {
            let cells: Box<dyn Iterator<Item = Option<&str>>> = match c.data_type() {
                DataType::Utf8 => Box::new(c.as_string::<i32>().iter()),
                DataType::LargeUtf8 => Box::new(c.as_string::<i64>().iter()),
                DataType::Utf8View => Box::new(c.as_string_view().iter()),
                DataType::Null => Box::new(std::iter::repeat_n(None, c.len())),
                _ => return None,
            };
            for v in cells {
                let k = Key::of(v);
                if last.is_some_and(|l| l.same(&k, v, &seen)) {
                    continue;
                }
                let hit = match keys.iter().copied().find(|s| s.same(&k, v, &seen)) {
                    Some(h) => h,
                    None => {
                        if seen.len() == limit {
                            return None;
                        }
                        let h = Key { at: seen.len(), ..k };
                        keys.push(h);
                        seen.push(v);
                        h
                    }
                };
                last = Some(hit);
            }
        }
        Some(seen.into_iter().map(|v| v.map(str::to_string)).collect())
    })
}

/// A cell of [`arrow_distinct`] in brief: its length and its first and last 8 bytes (the
/// whole cell up to 16 bytes, the common case of metadata: no byte comparison then), and
/// where it is in the values seen (for longer cells, compared in full).
#[derive(Clone, Copy)]
struct Key {
    len: usize,
    head: u64,
    tail: u64,
    at: usize,
}

impl Key {
    fn of(v: Option<&str>) -> Key {
        let Some(v) = v else {
            return Key {
                len: usize::MAX,
                head: 0,
                tail: 0,
                at: 0,
            };
        };
        let b = v.as_bytes();
        let word = |s: &[u8]| {
            let mut w = [0u8; 8];
            w[..s.len()].copy_from_slice(s);
            u64::from_le_bytes(w)
        };
        let n = b.len();
        Key {
            len: n,
            head: word(&b[..n.min(8)]),
            tail: word(&b[n.saturating_sub(8)..]),
            at: 0,
        }
    }

    /// Whether `self` (a value seen, at `seen[self.at]`) is the cell `v` (key `k`).
    fn same(&self, k: &Key, v: Option<&str>, seen: &[Option<&str>]) -> bool {
        self.len == k.len && self.head == k.head && self.tail == k.tail && (k.len <= 16 || seen[self.at] == v)
    }
}

/// Scores complete columns with `Plan::score_columns`: ``ids`` (a text column, one cell
/// per institution; the ids of the output), ``names`` (the name column, if the table has
/// one besides the ids: checked only) and ``columns`` (``(header, column)`` per node
/// column: a float64 numpy array or an Arrow array; read in place where the layout allows).
/// A text column is ``(joined, separator, length)`` or an Arrow array of strings.
///
/// Returns ``(nodes, values, rank, quadrant)``: node ids in display order, per node a
/// float64 array or, for a leaf column equal to its input bit for bit (no gate changed
/// it), the position of that column in ``columns`` (an int: the caller reuses its own
/// column), rank as int64 and quadrant codes as int8 (``-1`` none, ``0..3`` = I..IV).
/// Returns ``None`` when the row path must score instead: an input problem (reported there),
/// an id or name the reader would change (white space, empty), a joined column whose cells
/// hold the separator (more cells than stated), nulls or a type this path does not read
/// in an Arrow column, or no institutions.
#[pyfunction]
#[pyo3(signature = (plan, ids, names, columns))]
pub fn score_columns<'py>(
    py: Python<'py>,
    plan: &PyPlan,
    ids: Text,
    names: Option<Text>,
    columns: Vec<(String, Numbers<'py>)>,
) -> PyResult<Option<Bound<'py, PyTuple>>> {
    let mut held: Vec<(String, Held<'py>)> = Vec::with_capacity(columns.len());
    for (h, c) in columns {
        let v = match c {
            Numbers::Numpy(a) => Held::Numpy(a),
            Numbers::Arrow(a) => match chunks(a).and_then(float_values) {
                Some(v) => v,
                None => return Ok(None),
            },
        };
        held.push((h, v));
    }
    let mut views: Vec<(&str, &[f64])> = Vec::with_capacity(held.len());
    for (h, a) in &held {
        match a.slice() {
            Some(s) => views.push((h.as_str(), s)),
            None => return Ok(None),
        }
    }
    let Some(ids) = HeldText::new(ids) else { return Ok(None) };
    let names = match names.map(HeldText::new) {
        Some(None) => return Ok(None),
        Some(Some(n)) => Some(n),
        None => None,
    };
    let p = &plan.inner;
    // The arrays stay borrowed (read-only) while the GIL is released, as numpy's own
    // loops do.
    let scored = py
        .detach(|| {
            guard(|| {
                let Some(id_cells) = ids.cells() else { return Ok(None) };
                if id_cells.is_empty() || !id_cells.iter().all(|s| kept(s)) {
                    return Ok(None);
                }
                if let Some(n) = &names {
                    match n.cells() {
                        Some(v) if v.len() == id_cells.len() && v.iter().all(|s| kept(s)) => {}
                        _ => return Ok(None),
                    }
                }
                if views.iter().any(|(_, v)| v.len() != id_cells.len()) {
                    return Ok(None);
                }
                match p.score_columns_shared(&id_cells, &views) {
                    Ok(s) => Ok(Some(s)),
                    Err(apertura::Error::Input(_)) => Ok(None),
                    // Editions with gates on answers in words (GODI): the row path scores them.
                    Err(apertura::Error::Usage {
                        code: "unsupported", ..
                    }) => Ok(None),
                    Err(e) => Err(Failure::Core(e)),
                }
            })
        })
        .map_err(|f| to_py(py, f))?;
    drop(views);
    drop(held);
    let Some(s) = scored else { return Ok(None) };
    // A leaf column returned unchanged crosses back as its position in `columns`: the
    // caller reuses its own column (no copy either way).
    let values: Vec<Bound<'py, PyAny>> = s
        .values
        .into_iter()
        .map(|v| -> PyResult<Bound<'py, PyAny>> {
            Ok(match v {
                apertura::NodeValues::Input(k) => k.into_pyobject(py)?.into_any(),
                apertura::NodeValues::Computed(v) => PyArray1::from_vec(py, v).into_any(),
            })
        })
        .collect::<PyResult<_>>()?;
    let rank: Vec<i64> = s.rank.iter().map(|&r| i64::from(r)).collect();
    let quadrant = crate::columns::quadrant_codes(&s.quadrant);
    let out = PyTuple::new(
        py,
        [
            s.nodes.into_pyobject(py)?.into_any(),
            values.into_pyobject(py)?.into_any(),
            PyArray1::from_vec(py, rank).into_any(),
            PyArray1::from_vec(py, quadrant).into_any(),
        ],
    )?;
    Ok(Some(out))
}

/// Quadrants as the small integers the Python side maps to labels: I..IV as 0..3, none
/// (no index value) as -1.
pub(crate) fn quadrant_codes(quadrants: &[Option<apertura::Quadrant>]) -> Vec<i8> {
    quadrants
        .iter()
        .map(|q| match q {
            None => -1,
            Some(apertura::Quadrant::I) => 0,
            Some(apertura::Quadrant::II) => 1,
            Some(apertura::Quadrant::III) => 2,
            Some(apertura::Quadrant::IV) => 3,
        })
        .collect()
}
