//! Readers: CSV and JSON, wide and long, records and columns, into a [`Dataset`].
//!
//! **Wide**: one row per institution, one column per node (`iga`, `tg`, `tg.ai`...; names
//! match node ids and aliases case-insensitively, so the published 2017 file's `GA` is
//! `iga`). Metadata columns are recognised by name: `id`; `name` (`SO`, `nombre`,
//! `sujeto_obligado`); `jurisdiction` (`edo`, `estado`, `entidad`); `level` (`niv`,
//! `nivel`); `type` (`ts`, `tipo`). Any other column is kept as text metadata. Without an
//! `id` column the name is the id.
//!
//! **Long**: columns `institution` (or `id`), `node`, `value`, plus optional metadata
//! columns (repeated on each row of an institution).
//!
//! **Grouped** (an instrument's own files, when the edition declares `[input] group`):
//! one row per (unit, group node), one column per child of that node (GODI's entries:
//! `place, dataset, exists, digital...`); see [`crate::input::grouped`].
//!
//! Items answered in words (`answers = ...` in the edition) take an answer of their map
//! (any case) or a number; any other text is an `unknown_answer` error.
//!
//! Cells: empty = not observed; `NA`, `N/A`, `n/a`, `NaN`-free text `na` = not applicable;
//! otherwise a number. Bytes that are not valid UTF-8 are replaced (lossy decoding), never
//! a crash; Windows line endings and a byte-order mark are accepted.

use std::collections::{BTreeMap, HashMap};

use crate::edition::Edition;
use crate::error::{Error, InputError, InputErrorKind, InputErrors, Result};
pub use crate::input::columnar::read_columns;
#[cfg(feature = "csv")]
pub use crate::input::csv::{read_csv, read_csv_file, read_csv_where};
use crate::input::dataset::{Cell, Column, Dataset};
pub use crate::input::filter::RowFilter;
use crate::input::grouped::group_column;
use crate::input::institution::{Institution, InstitutionType, Jurisdiction, Level};
#[cfg(feature = "json")]
pub use crate::input::json::{read_json, read_records};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Role {
    Id,
    Name,
    Jurisdiction,
    Level,
    Type,
    Node(usize),
    Meta,
    LongNode,
    LongValue,
}

pub(super) fn role_of(header: &str, edition: &Edition) -> Role {
    if let Some(input) = edition.input() {
        let named = |c: &Option<String>| {
            c.as_deref()
                .is_some_and(|c| c.trim().eq_ignore_ascii_case(header.trim()))
        };
        if named(&input.unit) {
            return Role::Id;
        }
        if named(&input.name) {
            return Role::Name;
        }
    }
    let h = header.trim().to_ascii_lowercase();
    match h.as_str() {
        "id" | "institution" | "institution_id" | "clave" => Role::Id,
        "name" | "so" | "nombre" | "sujeto_obligado" | "institucion" => Role::Name,
        "jurisdiction" | "edo" | "estado" | "entidad" | "state" => Role::Jurisdiction,
        "level" | "niv" | "nivel" => Role::Level,
        "type" | "ts" | "tipo" | "tipo_sujeto" => Role::Type,
        _ => match edition.resolve_column(header) {
            Some(j) => Role::Node(j),
            None => Role::Meta,
        },
    }
}

/// One input field: text (CSV, strings) or an already-numeric value (JSON numbers,
/// numeric columns), which is used as is instead of being printed and parsed again.
#[derive(Clone, Debug, PartialEq)]
pub enum Field {
    /// Text as written.
    Text(String),
    /// A number.
    Number(f64),
}

impl Field {
    /// The field as text (numbers in their shortest round-trip form).
    pub fn text(&self) -> std::borrow::Cow<'_, str> {
        match self {
            Field::Text(t) => std::borrow::Cow::Borrowed(t),
            Field::Number(v) => std::borrow::Cow::Owned(format!("{v}")),
        }
    }
    pub(super) fn cell(&self) -> Option<Cell> {
        match self {
            Field::Text(t) => parse_cell(t),
            Field::Number(v) => Some(Cell::Value(*v)),
        }
    }
}

/// Parses one cell as an observation; `None` if the text is neither empty, `NA` nor a
/// number.
///
/// Allocation-free: the `NA` spellings are compared ignoring ASCII case, and a number is
/// only digits, `.`, `+`, `-`, `e`, `E` (so `inf` and `NaN` are not numbers), parsed by
/// the standard library's correctly rounded parser (measured as fast as `fast-float2`
/// and `lexical-core` on the benchmark file; see `benches/benches/io.rs`).
pub fn parse_cell(text: &str) -> Option<Cell> {
    let t = text.trim();
    if t.is_empty() {
        return Some(Cell::Missing);
    }
    // Every `NA` spelling starts with an `n`: numbers skip the comparisons.
    if matches!(t.as_bytes()[0], b'n' | b'N')
        && ["na", "n/a", "n.a.", "no aplica"]
            .iter()
            .any(|na| t.eq_ignore_ascii_case(na))
    {
        return Some(Cell::NotApplicable);
    }
    if !t
        .bytes()
        .all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'-' | b'+' | b'e' | b'E'))
    {
        return None;
    }
    t.parse::<f64>().ok().map(Cell::Value)
}

/// Whitespace as `str::trim` sees it, among ASCII bytes.
#[cfg(feature = "csv")]
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r')
}

/// [`parse_cell`] of a field's raw bytes, the same result as on their (lossy) text
/// without decoding them first when they are ASCII: the common case of a CSV reader.
#[cfg(feature = "csv")]
pub(super) fn parse_cell_bytes(bytes: &[u8]) -> Option<Cell> {
    let mut t = bytes;
    while let [b, rest @ ..] = t {
        if !is_space(*b) {
            break;
        }
        t = rest;
    }
    while let [rest @ .., b] = t {
        if !is_space(*b) {
            break;
        }
        t = rest;
    }
    if t.is_empty() {
        return Some(Cell::Missing);
    }
    if t.iter()
        .all(|&c| c.is_ascii_digit() || matches!(c, b'.' | b'-' | b'+' | b'e' | b'E'))
    {
        // Only ASCII here: the text is the bytes.
        return std::str::from_utf8(t).ok()?.parse::<f64>().ok().map(Cell::Value);
    }
    // Anything else (`NA`, words, bytes beyond ASCII that may be whitespace or not UTF-8):
    // the text path.
    parse_cell(&String::from_utf8_lossy(bytes))
}

/// One field of a row as a reader sees it, borrowed where it can be: text (decoded in
/// place, or replaced lossily when not UTF-8) or an already-numeric value.
#[derive(Clone, Debug)]
pub(super) enum FieldRef<'a> {
    Text(std::borrow::Cow<'a, str>),
    Number(f64),
}

impl FieldRef<'_> {
    fn text(&self) -> std::borrow::Cow<'_, str> {
        match self {
            FieldRef::Text(t) => std::borrow::Cow::Borrowed(t),
            FieldRef::Number(v) => std::borrow::Cow::Owned(format!("{v}")),
        }
    }
    fn cell(&self) -> Option<Cell> {
        match self {
            FieldRef::Text(t) => parse_cell(t),
            FieldRef::Number(v) => Some(Cell::Value(*v)),
        }
    }
    fn to_field(&self) -> Field {
        match self {
            FieldRef::Text(t) => Field::Text(t.to_string()),
            FieldRef::Number(v) => Field::Number(*v),
        }
    }
}

/// The fields of one input row, read one at a time without copying (a CSV byte record,
/// a slice of [`Field`]s).
pub(super) trait RowFields {
    /// Number of fields.
    fn count(&self) -> usize;
    /// Field `k` (< `count()`).
    fn field(&self, k: usize) -> FieldRef<'_>;
    /// Field `k` as an observation ([`parse_cell`] of its text), `None` if it is none.
    fn cell(&self, k: usize) -> Option<Cell> {
        self.field(k).cell()
    }
}

impl RowFields for [Field] {
    fn count(&self) -> usize {
        self.len()
    }
    fn field(&self, k: usize) -> FieldRef<'_> {
        match &self[k] {
            Field::Text(t) => FieldRef::Text(std::borrow::Cow::Borrowed(t)),
            Field::Number(v) => FieldRef::Number(*v),
        }
    }
}

/// Builds institutions from rows of (header, text) pairs; shared by CSV and JSON readers.
pub(super) struct Builder<'e> {
    pub(super) edition: &'e Edition,
    pub(super) source: String,
    pub(super) errors: Vec<InputError>,
    /// Jurisdictions written otherwise than their exact name, as [`Jurisdiction::parse`]
    /// read them (it folds case and accents, which allocates): a file repeats a few
    /// spellings on every row.
    spellings: Vec<(String, Option<Jurisdiction>)>,
}

impl<'e> Builder<'e> {
    pub(super) fn new(edition: &'e Edition, source: &str) -> Self {
        Builder {
            edition,
            source: source.to_string(),
            errors: Vec::new(),
            spellings: Vec::new(),
        }
    }

    /// [`Jurisdiction::parse`], remembering up to 64 spellings that are not exact names.
    fn jurisdiction(&mut self, text: &str) -> Option<Jurisdiction> {
        if let Some((_, j)) = self.spellings.iter().find(|(s, _)| s == text) {
            return *j;
        }
        let j = Jurisdiction::parse(text);
        if self.spellings.len() < 64 && j.is_none_or(|j| j.name() != text) {
            self.spellings.push((text.to_string(), j));
        }
        j
    }

    pub(super) fn err(&mut self, kind: InputErrorKind, msg: impl Into<String>, row: usize) -> &mut InputError {
        let e = InputError::new(kind, msg).source(&self.source).row(row);
        self.errors.push(e);
        self.errors.last_mut().expect("just pushed")
    }

    pub(super) fn metadata(&mut self, inst: &mut Institution, role: Role, header: &str, text: &str, row: usize) {
        let t = text.trim();
        match role {
            Role::Id => inst.id = t.to_string(),
            Role::Name => inst.name = t.to_string(),
            Role::Jurisdiction if !t.is_empty() => match self.jurisdiction(t) {
                Some(j) => inst.jurisdiction = Some(j),
                None => {
                    let e = self.err(
                        InputErrorKind::InvalidMetadata,
                        "unknown jurisdiction (expected one of the 32 states or Federal)",
                        row,
                    );
                    e.column = Some(header.to_string());
                    e.value = Some(text.to_string());
                }
            },
            // The exact names first: `Level::parse` folds (allocates) before comparing.
            Role::Level if !t.is_empty() => match Level::ALL
                .into_iter()
                .find(|l| l.name() == t)
                .or_else(|| Level::parse(t))
            {
                Some(l) => inst.level = Some(l),
                None => {
                    let e = self.err(
                        InputErrorKind::InvalidMetadata,
                        "unknown level (expected federal, estatal or municipal)",
                        row,
                    );
                    e.column = Some(header.to_string());
                    e.value = Some(text.to_string());
                }
            },
            Role::Type if !t.is_empty() => inst.kind = Some(InstitutionType::parse(t)),
            Role::Meta => {
                inst.metadata.insert(header.to_string(), text.to_string());
            }
            _ => {}
        }
    }

    /// The unit a row describes, from its metadata columns (`keep(role)`), or `None` after
    /// reporting a row whose field count differs from the header's.
    pub(super) fn row_unit(
        &mut self,
        headers: &[String],
        roles: &[Role],
        fields: &[Field],
        row: usize,
        keep: impl Fn(Role) -> bool,
    ) -> Option<Institution> {
        if fields.len() != headers.len() {
            self.err(
                InputErrorKind::Malformed,
                format!("{} fields, the header has {}", fields.len(), headers.len()),
                row,
            );
            return None;
        }
        let mut inst = Institution::new("");
        inst.name.clear();
        for (k, field) in fields.iter().enumerate() {
            if keep(roles[k]) {
                self.metadata(&mut inst, roles[k], &headers[k], &field.text(), row);
            }
        }
        Self::finish_id(&mut inst);
        Some(inst)
    }

    /// The dataset of the units seen, in order of first appearance, with each unit's
    /// first row; or every problem collected so far.
    pub(super) fn units_dataset(
        self,
        order: &[String],
        insts: &HashMap<String, (Institution, usize)>,
    ) -> Result<(Dataset, Vec<usize>)> {
        if let Some(e) = InputErrors::from_vec(self.errors) {
            return Err(Error::Input(e));
        }
        let institutions: Vec<Institution> = order.iter().map(|id| insts[id].0.clone()).collect();
        let first_rows: Vec<usize> = order.iter().map(|id| insts[id].1).collect();
        let mut data = Dataset::new(institutions);
        data.rows = Some(first_rows.clone());
        data.source = Some(self.source);
        Ok((data, first_rows))
    }

    pub(super) fn finish_id(inst: &mut Institution) {
        if inst.id.is_empty() {
            inst.id = inst.name.clone();
        }
        if inst.name.is_empty() {
            inst.name = inst.id.clone();
        }
    }

    /// Long rows -> dataset.
    fn long(mut self, headers: &[String], rows: Vec<(usize, Vec<Field>)>) -> Result<Dataset> {
        let roles: Vec<Role> = headers
            .iter()
            .map(|h| match h.trim().to_ascii_lowercase().as_str() {
                "node" | "nodo" | "item" => Role::LongNode,
                "value" | "valor" => Role::LongValue,
                _ => match role_of(h, self.edition) {
                    Role::Node(_) => Role::Meta,
                    r => r,
                },
            })
            .collect();
        let node_k = roles
            .iter()
            .position(|r| *r == Role::LongNode)
            .expect("checked by caller");
        let value_k = roles
            .iter()
            .position(|r| *r == Role::LongValue)
            .expect("checked by caller");
        let mut order: Vec<String> = Vec::new();
        let mut insts: HashMap<String, (Institution, usize)> = HashMap::new();
        // node index -> (header as written, institution id -> (cell, source row))
        type ByInstitution = HashMap<String, (Cell, usize)>;
        let mut obs: BTreeMap<usize, (String, ByInstitution)> = BTreeMap::new();
        for (row, fields) in rows {
            let Some(inst) = self.row_unit(headers, &roles, &fields, row, |r| !matches!(r, Role::Node(_))) else {
                continue;
            };
            if inst.id.is_empty() {
                self.err(InputErrorKind::MissingId, "row without institution id", row);
                continue;
            }
            let node_text = fields[node_k].text().trim().to_string();
            let Some(j) = self.edition.resolve_column(&node_text) else {
                let id = inst.id.clone();
                let e = self.err(
                    InputErrorKind::UnknownNode,
                    format!("no node {node_text:?} in edition {}", self.edition.id()),
                    row,
                );
                e.column = Some(headers[node_k].clone());
                e.value = Some(node_text);
                e.institution = Some(id);
                continue;
            };
            let cell = match fields[value_k].cell() {
                Some(c) => c,
                None => {
                    let id = inst.id.clone();
                    let e = self.err(InputErrorKind::NotANumber, "not a number", row);
                    e.column = Some(headers[value_k].clone());
                    e.value = Some(fields[value_k].text().into_owned());
                    e.institution = Some(id);
                    e.item = Some(node_text);
                    continue;
                }
            };
            let id = inst.id.clone();
            if !insts.contains_key(&id) {
                order.push(id.clone());
                insts.insert(id.clone(), (inst, row));
            }
            let entry = obs.entry(j).or_insert_with(|| (node_text.clone(), HashMap::new()));
            if entry.1.insert(id.clone(), (cell, row)).is_some() {
                let e = self.err(
                    InputErrorKind::DuplicateId,
                    "the same institution and node appear twice",
                    row,
                );
                e.institution = Some(id);
                e.item = Some(node_text);
            }
        }
        let (mut data, first_rows) = self.units_dataset(&order, &insts)?;
        for (_, (header, values)) in obs {
            let mut cells = Vec::with_capacity(order.len());
            let mut rows = Vec::with_capacity(order.len());
            for (i, id) in order.iter().enumerate() {
                let (c, r) = values.get(id).copied().unwrap_or((Cell::Missing, first_rows[i]));
                cells.push(c);
                rows.push(r);
            }
            data.columns.push(Column {
                header,
                cells,
                rows: Some(rows),
                answers: None,
            });
        }
        Ok(data)
    }
}

/// Wide rows into a dataset, one row at a time: the column roles are decided once from the
/// header, and each row's fields are read in place (no copy of a row, no `String` per cell:
/// only the id, the name and text metadata are kept as strings).
pub(super) struct Wide<'e> {
    b: Builder<'e>,
    headers: Vec<String>,
    roles: Vec<Role>,
    /// Header positions of the node columns, and each one's node.
    node_cols: Vec<(usize, usize)>,
    institutions: Vec<Institution>,
    row_numbers: Vec<usize>,
    cells: Vec<Vec<Cell>>,
    answers: Vec<Vec<Option<u16>>>,
}

impl<'e> Wide<'e> {
    pub(super) fn new(b: Builder<'e>, headers: &[String], capacity: usize) -> Self {
        let roles: Vec<Role> = headers.iter().map(|h| role_of(h, b.edition)).collect();
        let node_cols: Vec<(usize, usize)> = roles
            .iter()
            .enumerate()
            .filter_map(|(k, r)| match r {
                Role::Node(j) => Some((k, *j)),
                _ => None,
            })
            .collect();
        let n = node_cols.len();
        Wide {
            b,
            headers: headers.to_vec(),
            roles,
            node_cols,
            institutions: Vec::with_capacity(capacity),
            row_numbers: Vec::with_capacity(capacity),
            // Not `vec![Vec::with_capacity(capacity); n]`: a clone of a `Vec` keeps no capacity.
            cells: (0..n).map(|_| Vec::with_capacity(capacity)).collect(),
            answers: vec![Vec::new(); n],
        }
    }

    /// Reads one row (1-based number `row`).
    pub(super) fn push<R: RowFields + ?Sized>(&mut self, row: usize, fields: &R) {
        let headers = &self.headers;
        if fields.count() != headers.len() {
            let value = (0..fields.count())
                .map(|k| fields.field(k).text().into_owned())
                .collect::<Vec<_>>()
                .join(",");
            let e = self.b.err(
                InputErrorKind::Malformed,
                format!("{} fields, the header has {}", fields.count(), headers.len()),
                row,
            );
            e.value = Some(value);
            return;
        }
        let mut inst = Institution::new("");
        inst.name.clear();
        for (k, &role) in self.roles.iter().enumerate() {
            if !matches!(role, Role::Node(_)) {
                let f = fields.field(k);
                self.b.metadata(&mut inst, role, &headers[k], &f.text(), row);
            }
        }
        Builder::finish_id(&mut inst);
        for (c, &(k, j)) in self.node_cols.iter().enumerate() {
            if self.b.edition.tree.answers[j].is_some() {
                let f = fields.field(k);
                let (cell, code) = self.b.answer_cell(j, &f.to_field(), &inst.id, &headers[k], row);
                self.cells[c].push(cell);
                self.answers[c].push(code);
                continue;
            }
            let cell = match fields.cell(k) {
                Some(cell) => cell,
                None => {
                    let f = fields.field(k);
                    let item = self.b.edition.node_ids()[j].clone();
                    let e = self.b.err(
                        InputErrorKind::NotANumber,
                        "not a number (scores are numbers in [0, 1]; NA = not applicable)",
                        row,
                    );
                    e.column = Some(headers[k].clone());
                    e.value = Some(f.text().into_owned());
                    e.item = Some(item);
                    e.institution = Some(inst.id.clone());
                    Cell::Missing
                }
            };
            self.cells[c].push(cell);
        }
        self.institutions.push(inst);
        self.row_numbers.push(row);
    }

    /// Appends the rows `other` read after this one's `records` records (its row
    /// numbers, and those of its errors, are shifted by `records`).
    #[cfg_attr(not(feature = "parallel"), allow(dead_code))]
    pub(super) fn append(&mut self, other: Wide<'_>, records: usize) {
        self.b.errors.extend(other.b.errors.into_iter().map(|mut e| {
            e.row = e.row.map(|r| r + records);
            e
        }));
        self.institutions.extend(other.institutions);
        self.row_numbers
            .extend(other.row_numbers.into_iter().map(|r| r + records));
        for (mine, theirs) in self.cells.iter_mut().zip(other.cells) {
            mine.extend(theirs);
        }
        for (mine, theirs) in self.answers.iter_mut().zip(other.answers) {
            mine.extend(theirs);
        }
    }

    /// The dataset, or every problem found.
    pub(super) fn finish(self) -> Result<Dataset> {
        let Wide {
            b,
            headers,
            node_cols,
            institutions,
            row_numbers,
            cells,
            answers,
            ..
        } = self;
        if let Some(e) = InputErrors::from_vec(b.errors) {
            return Err(Error::Input(e));
        }
        let mut data = Dataset::new(institutions);
        data.rows = Some(row_numbers);
        data.source = Some(b.source);
        for ((cells, a), &(k, _)) in cells.into_iter().zip(answers).zip(&node_cols) {
            data.columns.push(Column {
                header: headers[k].clone(),
                cells,
                rows: None,
                answers: a.iter().any(Option::is_some).then_some(a),
            });
        }
        Ok(data)
    }
}

pub(super) fn is_long(headers: &[String]) -> bool {
    let has = |names: &[&str]| {
        headers
            .iter()
            .any(|h| names.contains(&h.trim().to_ascii_lowercase().as_str()))
    };
    has(&["node", "nodo", "item"]) && has(&["value", "valor"])
}

/// Reads rows of text cells under a header (wide or long, detected from the header):
/// the common path of every text reader. `rows` holds (1-based row number, cells).
pub fn read_rows(
    headers: &[String],
    rows: Vec<(usize, Vec<String>)>,
    edition: &Edition,
    source: &str,
) -> Result<Dataset> {
    let rows = rows
        .into_iter()
        .map(|(r, f)| (r, f.into_iter().map(Field::Text).collect()))
        .collect();
    read_fields(headers, rows, edition, source)
}

/// [`read_rows`] for fields that may already be numbers (JSON, numeric columns).
pub fn read_fields(
    headers: &[String],
    rows: Vec<(usize, Vec<Field>)>,
    edition: &Edition,
    source: &str,
) -> Result<Dataset> {
    let b = Builder::new(edition, source);
    if let Some(k) = group_column(headers, edition) {
        b.grouped(headers, rows, k)
    } else if is_long(headers) {
        b.long(headers, rows)
    } else {
        let mut w = Wide::new(b, headers, rows.len());
        for (row, fields) in &rows {
            w.push(*row, fields.as_slice());
        }
        w.finish()
    }
}

/// Reads a file's bytes as CSV or JSON, deciding by the first non-blank character
/// (features `csv` and `json`).
#[cfg(all(feature = "csv", feature = "json"))]
pub fn read_auto(bytes: &[u8], edition: &Edition, source: &str) -> Result<Dataset> {
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace()).copied();
    if matches!(first, Some(b'[') | Some(b'{')) {
        read_json(&String::from_utf8_lossy(bytes), edition, source)
    } else {
        read_csv(bytes, edition, source)
    }
}

/// [`read_auto`] on a file: JSON is read whole, CSV in chunks ([`read_csv_file`]). A file
/// that cannot be read is an `io` usage error naming `source`.
#[cfg(all(feature = "csv", feature = "json"))]
pub fn read_auto_file(path: &std::path::Path, edition: &Edition, source: &str) -> Result<Dataset> {
    use std::io::Read;
    let cannot = |e: std::io::Error| Error::usage("io", format!("cannot read {source}: {e}"));
    let mut file = std::fs::File::open(path).map_err(cannot)?;
    let mut buf = [0u8; 4096];
    let first = loop {
        let n = match file.read(&mut buf) {
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            r => r.map_err(cannot)?,
        };
        if n == 0 {
            break None;
        }
        if let Some(b) = buf[..n].iter().find(|b| !b.is_ascii_whitespace()) {
            break Some(*b);
        }
    };
    if matches!(first, Some(b'[') | Some(b'{')) {
        let bytes = std::fs::read(path).map_err(cannot)?;
        read_json(&String::from_utf8_lossy(&bytes), edition, source)
    } else {
        read_csv_file(path, edition, source, &[])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_parse() {
        assert_eq!(parse_cell(" 0.5 "), Some(Cell::Value(0.5)));
        assert_eq!(parse_cell(""), Some(Cell::Missing));
        assert_eq!(parse_cell("NA"), Some(Cell::NotApplicable));
        assert_eq!(parse_cell("n/a"), Some(Cell::NotApplicable));
        assert_eq!(parse_cell("abc"), None);
        assert_eq!(parse_cell("inf"), None);
        assert_eq!(parse_cell("NaN"), None);
        assert_eq!(parse_cell("1e-3"), Some(Cell::Value(0.001)));
    }

    #[test]
    #[cfg(feature = "csv")]
    fn bytes_parse_as_their_text() {
        use proptest::prelude::*;
        // Whitespace of every kind `str::trim` knows (vertical tab, no-break space),
        // number syntax, NA spellings, bytes that are not UTF-8.
        let atoms = prop_oneof![
            Just(&b" "[..]),
            Just(&b"\t"[..]),
            Just(&b"\x0B"[..]),
            Just(&b"\x0C"[..]),
            Just(&b"\xC2\xA0"[..]),
            Just(&b"\xFF"[..]),
            Just(&b"0"[..]),
            Just(&b"7"[..]),
            Just(&b"."[..]),
            Just(&b"e"[..]),
            Just(&b"E"[..]),
            Just(&b"-"[..]),
            Just(&b"+"[..]),
            Just(&b"N"[..]),
            Just(&b"a"[..]),
            Just(&b"/"[..]),
            Just(&b"inf"[..]),
        ];
        proptest!(ProptestConfig::with_cases(2048), |(parts in proptest::collection::vec(atoms, 0..8))| {
            let bytes = parts.concat();
            let want = parse_cell(&String::from_utf8_lossy(&bytes));
            let got = parse_cell_bytes(&bytes);
            // Same cell (NaN never comes out: `nan` is not number syntax).
            prop_assert_eq!(got, want, "{:?}", bytes);
        });
        for (text, cell) in [
            ("\u{A0}0.5", Some(Cell::Value(0.5))),
            ("\x0B0.25\x0B", Some(Cell::Value(0.25))),
            (" na ", Some(Cell::NotApplicable)),
        ] {
            assert_eq!(parse_cell_bytes(text.as_bytes()), cell, "{text:?}");
        }
    }
}
