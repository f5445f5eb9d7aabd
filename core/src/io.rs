//! Readers and writers: CSV and JSON, wide and long.
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
//! Cells: empty = not observed; `NA`, `N/A`, `n/a`, `NaN`-free text `na` = not applicable;
//! otherwise a number. Bytes that are not valid UTF-8 are replaced (lossy decoding), never
//! a crash; Windows line endings and a byte-order mark are accepted.

use std::collections::{BTreeMap, HashMap};

use serde_json::Value;

use crate::dataset::{Cell, Column, Dataset};
use crate::edition::Edition;
use crate::error::{Error, InputError, InputErrorKind, InputErrors, Result};
use crate::institution::{Institution, InstitutionType, Jurisdiction, Level};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Role {
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

fn role_of(header: &str, edition: &Edition) -> Role {
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
    fn cell(&self) -> Option<Cell> {
        match self {
            Field::Text(t) => parse_cell(t),
            Field::Number(v) => Some(Cell::Value(*v)),
        }
    }
}

/// Parses one cell as an observation; `None` if the text is neither empty, `NA` nor a
/// number.
pub fn parse_cell(text: &str) -> Option<Cell> {
    let t = text.trim();
    if t.is_empty() {
        return Some(Cell::Missing);
    }
    match t.to_ascii_lowercase().as_str() {
        "na" | "n/a" | "n.a." | "no aplica" => return Some(Cell::NotApplicable),
        _ => {}
    }
    match t.parse::<f64>() {
        Ok(v)
            if t.chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E')) =>
        {
            Some(Cell::Value(v))
        }
        _ => None,
    }
}

/// Builds institutions from rows of (header, text) pairs; shared by CSV and JSON readers.
struct Builder<'e> {
    edition: &'e Edition,
    source: String,
    errors: Vec<InputError>,
}

impl Builder<'_> {
    fn err(&mut self, kind: InputErrorKind, msg: impl Into<String>, row: usize) -> &mut InputError {
        let e = InputError::new(kind, msg).source(&self.source).row(row);
        self.errors.push(e);
        self.errors.last_mut().expect("just pushed")
    }

    fn metadata(&mut self, inst: &mut Institution, role: Role, header: &str, text: &str, row: usize) {
        let t = text.trim();
        match role {
            Role::Id => inst.id = t.to_string(),
            Role::Name => inst.name = t.to_string(),
            Role::Jurisdiction if !t.is_empty() => match Jurisdiction::parse(t) {
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
            Role::Level if !t.is_empty() => match Level::parse(t) {
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

    fn finish_id(inst: &mut Institution) {
        if inst.id.is_empty() {
            inst.id = inst.name.clone();
        }
        if inst.name.is_empty() {
            inst.name = inst.id.clone();
        }
    }

    /// Wide rows -> dataset.
    fn wide(mut self, headers: &[String], rows: Vec<(usize, Vec<Field>)>) -> Result<Dataset> {
        let roles: Vec<Role> = headers.iter().map(|h| role_of(h, self.edition)).collect();
        let node_cols: Vec<usize> = (0..headers.len())
            .filter(|&k| matches!(roles[k], Role::Node(_)))
            .collect();
        let mut institutions = Vec::with_capacity(rows.len());
        let mut row_numbers = Vec::with_capacity(rows.len());
        let mut cells: Vec<Vec<Cell>> = vec![Vec::with_capacity(rows.len()); node_cols.len()];
        for (row, fields) in rows {
            if fields.len() != headers.len() {
                let e = self.err(
                    InputErrorKind::Malformed,
                    format!("{} fields, the header has {}", fields.len(), headers.len()),
                    row,
                );
                e.value = Some(
                    fields
                        .iter()
                        .map(|f| f.text().into_owned())
                        .collect::<Vec<_>>()
                        .join(","),
                );
                continue;
            }
            let mut inst = Institution::new("");
            inst.name.clear();
            for (k, field) in fields.iter().enumerate() {
                if !matches!(roles[k], Role::Node(_)) {
                    self.metadata(&mut inst, roles[k], &headers[k], &field.text(), row);
                }
            }
            Self::finish_id(&mut inst);
            for (c, &k) in node_cols.iter().enumerate() {
                let cell = match fields[k].cell() {
                    Some(cell) => cell,
                    None => {
                        let Role::Node(j) = roles[k] else { unreachable!() };
                        let item = self.edition.node_ids()[j].clone();
                        let id = inst.id.clone();
                        let e = self.err(
                            InputErrorKind::NotANumber,
                            "not a number (scores are numbers in [0, 1]; NA = not applicable)",
                            row,
                        );
                        e.column = Some(headers[k].clone());
                        e.value = Some(fields[k].text().into_owned());
                        e.item = Some(item);
                        e.institution = Some(id);
                        Cell::Missing
                    }
                };
                cells[c].push(cell);
            }
            institutions.push(inst);
            row_numbers.push(row);
        }
        if let Some(e) = InputErrors::from_vec(self.errors) {
            return Err(Error::Input(e));
        }
        let mut data = Dataset::new(institutions);
        data.rows = Some(row_numbers);
        data.source = Some(self.source);
        for (c, &k) in node_cols.iter().enumerate() {
            data.columns.push(Column {
                header: headers[k].clone(),
                cells: std::mem::take(&mut cells[c]),
                rows: None,
            });
        }
        Ok(data)
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
            if fields.len() != headers.len() {
                self.err(
                    InputErrorKind::Malformed,
                    format!("{} fields, the header has {}", fields.len(), headers.len()),
                    row,
                );
                continue;
            }
            let mut inst = Institution::new("");
            inst.name.clear();
            for (k, field) in fields.iter().enumerate() {
                if !matches!(roles[k], Role::Node(_)) {
                    self.metadata(&mut inst, roles[k], &headers[k], &field.text(), row);
                }
            }
            Self::finish_id(&mut inst);
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
        if let Some(e) = InputErrors::from_vec(self.errors) {
            return Err(Error::Input(e));
        }
        let institutions: Vec<Institution> = order.iter().map(|id| insts[id].0.clone()).collect();
        let first_rows: Vec<usize> = order.iter().map(|id| insts[id].1).collect();
        let mut data = Dataset::new(institutions);
        data.rows = Some(first_rows.clone());
        data.source = Some(self.source);
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
            });
        }
        Ok(data)
    }
}

fn is_long(headers: &[String]) -> bool {
    let has = |names: &[&str]| {
        headers
            .iter()
            .any(|h| names.contains(&h.trim().to_ascii_lowercase().as_str()))
    };
    has(&["node", "nodo", "item"]) && has(&["value", "valor"])
}

/// Reads CSV (wide or long, detected from the header) from raw bytes.
///
/// `source` names the file in error messages.
pub fn read_csv(bytes: &[u8], edition: &Edition, source: &str) -> Result<Dataset> {
    let text = String::from_utf8_lossy(bytes);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .from_reader(text.as_bytes());
    let malformed = |msg: String, row: Option<usize>| {
        let mut e = InputError::new(InputErrorKind::Malformed, msg).source(source);
        e.row = row;
        Error::from(e)
    };
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| malformed(format!("cannot read the header: {e}"), None))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    if headers.iter().all(|h| h.is_empty()) {
        return Err(malformed("empty file or empty header".into(), None));
    }
    let mut rows = Vec::new();
    for (k, rec) in reader.records().enumerate() {
        let rec = rec.map_err(|e| malformed(format!("cannot parse: {e}"), Some(k + 1)))?;
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue; // blank line
        }
        rows.push((k + 1, rec.iter().map(str::to_string).collect()));
    }
    read_rows(&headers, rows, edition, source)
}

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
    let b = Builder {
        edition,
        source: source.to_string(),
        errors: Vec::new(),
    };
    if is_long(headers) {
        b.long(headers, rows)
    } else {
        b.wide(headers, rows)
    }
}

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
        });
    }
    Ok(data)
}

/// Reads a file's bytes as CSV or JSON, deciding by the first non-blank character.
pub fn read_auto(bytes: &[u8], edition: &Edition, source: &str) -> Result<Dataset> {
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace()).copied();
    if matches!(first, Some(b'[') | Some(b'{')) {
        read_json(&String::from_utf8_lossy(bytes), edition, source)
    } else {
        read_csv(bytes, edition, source)
    }
}

/// Rounds half up to `decimals` places, for display: the value is first written with 15
/// decimals (absorbing binary representation error, so 0.285 rounds to 0.29), then the
/// decimal digits are rounded half away from zero.
pub fn round_half_up(x: f64, decimals: u8) -> String {
    let d = decimals as usize;
    if !x.is_finite() {
        return x.to_string();
    }
    let s = format!("{:.15}", x.abs());
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    let mut digits: Vec<u8> = int.bytes().chain(frac.bytes().take(d)).map(|b| b - b'0').collect();
    let next = frac.as_bytes().get(d).map(|b| b - b'0').unwrap_or(0);
    if next >= 5 {
        let mut k = digits.len();
        loop {
            if k == 0 {
                digits.insert(0, 1);
                break;
            }
            k -= 1;
            if digits[k] == 9 {
                digits[k] = 0;
            } else {
                digits[k] += 1;
                break;
            }
        }
    }
    let int_len = digits.len() - d;
    let mut out = String::new();
    let is_zero = digits.iter().all(|&b| b == 0);
    if x < 0.0 && !is_zero {
        out.push('-');
    }
    out.extend(digits[..int_len].iter().map(|b| (b'0' + b) as char));
    if d > 0 {
        out.push('.');
        out.extend(digits[int_len..].iter().map(|b| (b'0' + b) as char));
    }
    out
}

/// [`round_half_up`] as a number.
pub fn round_half_up_f64(x: f64, decimals: u8) -> f64 {
    round_half_up(x, decimals).parse().unwrap_or(x)
}

/// Node ids in display order: breadth-first from the root (`iga, t, p, tg, tc, pg, pc`,
/// then the items), keeping only nodes with at least one value in `scores`.
pub fn display_nodes(edition: &Edition, scores: &crate::plan::Scores) -> Vec<String> {
    let t = &edition.tree;
    let mut out = Vec::new();
    let mut queue = std::collections::VecDeque::from([t.root]);
    while let Some(j) = queue.pop_front() {
        if let Some(k) = scores.node_index(&t.ids[j]) {
            if scores.has_any(k) {
                out.push(t.ids[j].clone());
            }
        }
        queue.extend(t.child[t.child_start[j]..t.child_start[j + 1]].iter().copied());
    }
    out
}

/// The score table as text cells: header `id, name, jurisdiction, level, type, <nodes in
/// display order>, rank, quadrant`, then one row per institution. Values are written at
/// full precision (shortest round-trip form) unless `decimals` is given (round half up).
pub fn score_table(
    edition: &Edition,
    scores: &crate::plan::Scores,
    decimals: Option<u8>,
) -> (Vec<String>, Vec<Vec<String>>) {
    let nodes = display_nodes(edition, scores);
    let idx: Vec<usize> = nodes
        .iter()
        .map(|n| scores.node_index(n).expect("from scores"))
        .collect();
    let mut header: Vec<String> = ["id", "name", "jurisdiction", "level", "type"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    header.extend(nodes.iter().cloned());
    header.push("rank".into());
    header.push("quadrant".into());
    let rows = (0..scores.len())
        .map(|i| {
            let inst = &scores.institutions[i];
            let mut row = vec![
                inst.id.clone(),
                inst.name.clone(),
                inst.jurisdiction.map(|j| j.name().to_string()).unwrap_or_default(),
                inst.level.map(|l| l.name().to_string()).unwrap_or_default(),
                inst.kind.as_ref().map(|k| k.name().to_string()).unwrap_or_default(),
            ];
            for &j in &idx {
                row.push(match (scores.value(i, j), decimals) {
                    (Some(v), Some(d)) => round_half_up(v, d),
                    (Some(v), None) => format!("{v}"),
                    (None, _) => String::new(),
                });
            }
            row.push(scores.rank[i].to_string());
            row.push(scores.quadrant[i].map(|q| q.as_str().to_string()).unwrap_or_default());
            row
        })
        .collect();
    (header, rows)
}

/// Writes a table as CSV (RFC 4180 quoting, `\n` line ends).
pub fn to_csv(header: &[String], rows: &[Vec<String>]) -> String {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    w.write_record(header).expect("writing to memory");
    for r in rows {
        w.write_record(r).expect("writing to memory");
    }
    String::from_utf8(w.into_inner().expect("flush to memory")).expect("input was UTF-8")
}

/// The score table as JSON objects (numbers at full precision, `null` where unknown).
pub fn scores_to_json(edition: &Edition, scores: &crate::plan::Scores) -> Value {
    let nodes = display_nodes(edition, scores);
    let rows: Vec<Value> = (0..scores.len())
        .map(|i| {
            let inst = &scores.institutions[i];
            let mut o = serde_json::Map::new();
            o.insert("id".into(), inst.id.clone().into());
            o.insert("name".into(), inst.name.clone().into());
            o.insert(
                "jurisdiction".into(),
                inst.jurisdiction.map(|j| j.name().to_string()).into(),
            );
            o.insert("level".into(), inst.level.map(|l| l.name().to_string()).into());
            o.insert("type".into(), inst.kind.as_ref().map(|k| k.name().to_string()).into());
            for n in &nodes {
                o.insert(n.clone(), scores.get(i, n).into());
            }
            o.insert("rank".into(), scores.rank[i].into());
            o.insert(
                "quadrant".into(),
                scores.quadrant[i].map(|q| q.as_str().to_string()).into(),
            );
            Value::Object(o)
        })
        .collect();
    Value::Array(rows)
}

/// The score table as JSON text: the objects of [`scores_to_json`] (same keys, same
/// values), written straight from the scores instead of through a `serde_json::Value` per
/// row, which costs several times more than scoring. Keys come in display order: `id, name,
/// jurisdiction, level, type`, the nodes of [`display_nodes`], `rank, quadrant`. A unit
/// test checks it equals [`scores_to_json`].
pub fn scores_to_json_string(edition: &Edition, scores: &crate::plan::Scores) -> String {
    use serde::ser::{SerializeMap, SerializeSeq, Serializer};
    use serde::Serialize;
    struct Rows<'a> {
        scores: &'a crate::plan::Scores,
        nodes: Vec<(String, usize)>,
    }
    struct Row<'a>(&'a Rows<'a>, usize);
    impl Serialize for Rows<'_> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let mut seq = s.serialize_seq(Some(self.scores.len()))?;
            for i in 0..self.scores.len() {
                seq.serialize_element(&Row(self, i))?;
            }
            seq.end()
        }
    }
    impl Serialize for Row<'_> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let (rows, i) = (self.0, self.1);
            let inst = &rows.scores.institutions[i];
            let mut m = s.serialize_map(Some(rows.nodes.len() + 7))?;
            m.serialize_entry("id", &inst.id)?;
            m.serialize_entry("name", &inst.name)?;
            m.serialize_entry("jurisdiction", &inst.jurisdiction.map(|j| j.name()))?;
            m.serialize_entry("level", &inst.level.map(|l| l.name()))?;
            m.serialize_entry("type", &inst.kind.as_ref().map(|k| k.name()))?;
            for (node, j) in &rows.nodes {
                m.serialize_entry(node, &rows.scores.value(i, *j))?;
            }
            m.serialize_entry("rank", &rows.scores.rank[i])?;
            m.serialize_entry("quadrant", &rows.scores.quadrant[i].map(|q| q.as_str()))?;
            m.end()
        }
    }
    let nodes = display_nodes(edition, scores)
        .into_iter()
        .map(|n| {
            let j = scores.node_index(&n).expect("display nodes come from the scores");
            (n, j)
        })
        .collect();
    serde_json::to_string(&Rows { scores, nodes }).expect("serializing to memory cannot fail")
}

/// The summary table as text cells: `group, n, <perspective-and-above node means>`
/// (`iga, t, p, tg, tc, pg, pc` for the MGA editions).
pub fn summary_table(
    edition: &Edition,
    summary: &crate::analysis::Summary,
    decimals: Option<u8>,
) -> (Vec<String>, Vec<Vec<String>>) {
    use crate::edition::NodeLevel;
    let t = &edition.tree;
    let mut nodes = Vec::new();
    let mut queue = std::collections::VecDeque::from([t.root]);
    while let Some(j) = queue.pop_front() {
        if matches!(
            t.level[j],
            NodeLevel::Index | NodeLevel::Dimension | NodeLevel::Perspective
        ) {
            nodes.push(t.ids[j].clone());
            queue.extend(t.child[t.child_start[j]..t.child_start[j + 1]].iter().copied());
        }
    }
    let mut header = vec!["group".to_string(), "n".to_string()];
    header.extend(nodes.iter().cloned());
    let rows = summary
        .groups
        .iter()
        .map(|g| {
            let mut row = vec![g.group.clone(), g.n.to_string()];
            for n in &nodes {
                row.push(match (g.get(n), decimals) {
                    (Some(s), Some(d)) => round_half_up(s.mean, d),
                    (Some(s), None) => format!("{}", s.mean),
                    (None, _) => String::new(),
                });
            }
            row
        })
        .collect();
    (header, rows)
}

/// The summary table as JSON objects `{group, n, iga, t, p, tg, tc, pg, pc}` (means at
/// full precision; the node columns of [`summary_table`]), plus `best_<node>` (id of the
/// best institution) for each of those nodes.
pub fn summary_to_json(edition: &Edition, summary: &crate::analysis::Summary) -> Value {
    let (header, _) = summary_table(edition, summary, None);
    let nodes = &header[2..];
    Value::Array(
        summary
            .groups
            .iter()
            .map(|g| {
                let mut o = serde_json::Map::new();
                o.insert("group".into(), g.group.clone().into());
                o.insert("n".into(), g.n.into());
                for n in nodes {
                    o.insert(n.clone(), g.get(n).map(|s| s.mean).into());
                }
                for n in nodes {
                    o.insert(format!("best_{n}"), g.get(n).map(|s| s.best.clone()).into());
                }
                Value::Object(o)
            })
            .collect(),
    )
}

/// Writes a dataset as a wide CSV: `id, name, jurisdiction, level, type`, the metadata
/// columns, then one column per observed node (values at full precision, `NA` for not
/// applicable, empty for missing). Reading the result back gives the same dataset.
pub fn dataset_to_csv(data: &Dataset) -> String {
    let meta: Vec<String> = {
        let mut keys: Vec<String> = data
            .institutions
            .iter()
            .flat_map(|i| i.metadata.keys().cloned())
            .collect();
        keys.sort();
        keys.dedup();
        keys
    };
    let mut header: Vec<String> = ["id", "name", "jurisdiction", "level", "type"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    header.extend(meta.iter().cloned());
    header.extend(data.columns.iter().map(|c| c.header.clone()));
    let rows: Vec<Vec<String>> = data
        .institutions
        .iter()
        .enumerate()
        .map(|(i, inst)| {
            let mut r = vec![
                inst.id.clone(),
                inst.name.clone(),
                inst.jurisdiction.map(|j| j.name().to_string()).unwrap_or_default(),
                inst.level.map(|l| l.name().to_string()).unwrap_or_default(),
                inst.kind.as_ref().map(|k| k.name().to_string()).unwrap_or_default(),
            ];
            r.extend(meta.iter().map(|k| inst.metadata.get(k).cloned().unwrap_or_default()));
            r.extend(data.columns.iter().map(|c| match c.cells[i] {
                Cell::Missing => String::new(),
                Cell::NotApplicable => "NA".to_string(),
                Cell::Value(v) => format!("{v}"),
            }));
            r
        })
        .collect();
    to_csv(&header, &rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_half_up() {
        assert_eq!(round_half_up(0.285, 2), "0.29");
        assert_eq!(round_half_up(0.3887, 2), "0.39");
        assert_eq!(round_half_up(0.5013, 2), "0.50");
        assert_eq!(round_half_up(0.125, 2), "0.13");
        assert_eq!(round_half_up(0.995, 2), "1.00");
        assert_eq!(round_half_up(0.0, 2), "0.00");
        assert_eq!(round_half_up(1.0, 0), "1");
        assert_eq!(round_half_up(0.4755, 2), "0.48");
        assert_eq!(round_half_up(0.4749999, 2), "0.47");
        assert_eq!(round_half_up_f64(0.345, 2), 0.35);
    }

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

    fn same_as_tree_json(edition: &Edition, data: &Dataset) {
        let plan = crate::Plan::new(edition, &crate::Options::default()).unwrap();
        let scores = plan.score(data).unwrap();
        let text: Value = serde_json::from_str(&scores_to_json_string(edition, &scores)).unwrap();
        let tree = scores_to_json(edition, &scores);
        assert_eq!(text, tree);
        assert_eq!(
            serde_json::to_string(&text).unwrap(),
            serde_json::to_string(&tree).unwrap()
        );
    }

    #[test]
    fn streamed_score_json_equals_the_value_form() {
        let e = Edition::load("mga-2017").unwrap();
        same_as_tree_json(&e, &crate::synthetic::item_level(&e, 200, 7));
        let csv = "SO,edo,niv,ts,tg,tc,pg,pc,extra\nA,Jalisco,Municipal,Municipio,0.1,0.2,0.3,0.4,x\n\
                   B,,,,1,1,NA,0,\nC,Federal,Federal,Autonomo,0.25,0.5,0,0.75,y\n";
        same_as_tree_json(&e, &read_csv(csv.as_bytes(), &e, "t").unwrap());
        let e = Edition::load("mga-2023").unwrap();
        same_as_tree_json(&e, &crate::synthetic::item_level(&e, 50, 1));
    }
}
