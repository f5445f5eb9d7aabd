//! Crosswalks between two files of institutions: `old_id,new_id` rows for institutions
//! renamed, split or merged between two editions, read by [`read_crosswalk`] and used by
//! the comparison of two runs (`analysis::compare`).
//!
//! A row pairs an id of the **old** file with an id of the **new** file, directly (rows are
//! never chained: `a,b` and `b,c` pair old `a` with new `b` and old `b` with new `c`).
//! Ids that no row names as `old_id` are also paired with the same id in the new file.
//! A new id reached from two old ids is a **merge**, an old id paired with two new ids a
//! **split**; a group that is both (a many-to-many pairing) is an error, as is a
//! **cycle** among the rows that change an id (`a,b` + `b,a`, or `a,b` + `b,c` + `c,a`),
//! which is the mark of a crosswalk written in both directions. A row `a,a` is allowed
//! and changes nothing.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::error::{Error, InputError, InputErrorKind, InputErrors, Result};

/// One row of a crosswalk.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CrosswalkPair {
    /// Id in the old file.
    pub old_id: String,
    /// Id in the new file.
    pub new_id: String,
    /// 1-based data row in the source (header not counted).
    pub row: usize,
}

/// A checked crosswalk: no empty ids, no duplicate rows, no cycles, no many-to-many group.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Crosswalk {
    /// The rows, in source order.
    pub pairs: Vec<CrosswalkPair>,
    /// Name of the source (file name, or `"crosswalk"`), for error messages.
    pub source: String,
}

impl Crosswalk {
    /// A crosswalk from `(old_id, new_id)` pairs (rows numbered from 1 in the given order),
    /// checked like a file.
    pub fn from_pairs<I, A, B>(pairs: I, source: &str) -> Result<Crosswalk>
    where
        I: IntoIterator<Item = (A, B)>,
        A: Into<String>,
        B: Into<String>,
    {
        let mut errors = Vec::new();
        let mut out = Vec::new();
        for (k, (a, b)) in pairs.into_iter().enumerate() {
            let (old_id, new_id) = (a.into().trim().to_string(), b.into().trim().to_string());
            let row = k + 1;
            for (col, v) in [("old_id", &old_id), ("new_id", &new_id)] {
                if v.is_empty() {
                    errors.push(
                        InputError::new(InputErrorKind::MissingId, format!("empty {col} in the crosswalk"))
                            .source(source)
                            .row(row)
                            .column(col),
                    );
                }
            }
            out.push(CrosswalkPair { old_id, new_id, row });
        }
        let cw = Crosswalk {
            pairs: out,
            source: source.to_string(),
        };
        cw.check(errors)?;
        Ok(cw)
    }

    /// Rows that change an id (`old_id != new_id`).
    fn changes(&self) -> impl Iterator<Item = &CrosswalkPair> {
        self.pairs.iter().filter(|p| p.old_id != p.new_id)
    }

    fn check(&self, mut errors: Vec<InputError>) -> Result<()> {
        let mut seen: BTreeMap<(&str, &str), usize> = BTreeMap::new();
        for p in &self.pairs {
            if p.old_id.is_empty() || p.new_id.is_empty() {
                continue;
            }
            if let Some(first) = seen.insert((&p.old_id, &p.new_id), p.row) {
                seen.insert((&p.old_id, &p.new_id), first);
                errors.push(
                    InputError::new(
                        InputErrorKind::DuplicateId,
                        format!("the pair {} -> {} is already given in row {first}", p.old_id, p.new_id),
                    )
                    .source(&self.source)
                    .row(p.row)
                    .column("old_id")
                    .value(format!("{},{}", p.old_id, p.new_id)),
                );
            }
        }
        if let Some(list) = InputErrors::from_vec(errors) {
            return Err(Error::Input(list));
        }
        self.check_cycles()?;
        self.check_many_to_many()
    }

    /// A cycle among the id-changing rows: the graph old -> new over ids.
    fn check_cycles(&self) -> Result<()> {
        let mut next: BTreeMap<&str, Vec<(&str, usize)>> = BTreeMap::new();
        for p in self.changes() {
            next.entry(&p.old_id).or_default().push((&p.new_id, p.row));
        }
        // Iterative depth-first search; 0 unvisited, 1 on the stack, 2 done.
        let mut state: BTreeMap<&str, u8> = BTreeMap::new();
        for &start in next.keys() {
            if state.get(start).copied().unwrap_or(0) != 0 {
                continue;
            }
            let mut path: Vec<(&str, usize)> = vec![(start, 0)];
            let mut rows: Vec<usize> = Vec::new();
            state.insert(start, 1);
            while let Some(&mut (node, ref mut k)) = path.last_mut() {
                let out = next.get(node).map(Vec::as_slice).unwrap_or(&[]);
                if *k < out.len() {
                    let (to, row) = out[*k];
                    *k += 1;
                    match state.get(to).copied().unwrap_or(0) {
                        0 => {
                            state.insert(to, 1);
                            path.push((to, 0));
                            rows.push(row);
                        }
                        1 => {
                            let from = path.iter().position(|(n, _)| *n == to).expect("on the stack");
                            let mut ids: Vec<&str> = path[from..].iter().map(|(n, _)| *n).collect();
                            ids.push(to);
                            let mut cycle_rows: Vec<usize> = rows[from..].to_vec();
                            cycle_rows.push(row);
                            return Err(Error::usage(
                                "crosswalk_cycle",
                                format!(
                                    "{}: rows {} form a cycle {} (each row pairs an old id with a new id; \
                                     a cycle means the crosswalk was written in both directions)",
                                    self.source,
                                    cycle_rows.iter().map(|r| r.to_string()).collect::<Vec<_>>().join(", "),
                                    ids.join(" -> ")
                                ),
                            ));
                        }
                        _ => {}
                    }
                } else {
                    state.insert(node, 2);
                    path.pop();
                    rows.pop();
                }
            }
        }
        Ok(())
    }

    /// An old id that is split and whose parts are also merged with other old ids.
    fn check_many_to_many(&self) -> Result<()> {
        let mut by_old: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        let mut by_new: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for p in &self.pairs {
            by_old.entry(&p.old_id).or_default().insert(&p.new_id);
            by_new.entry(&p.new_id).or_default().insert(&p.old_id);
        }
        for (old, news) in &by_old {
            if news.len() < 2 {
                continue;
            }
            for new in news {
                let olds = &by_new[new];
                if olds.len() > 1 {
                    let rows: Vec<String> = self
                        .pairs
                        .iter()
                        .filter(|p| p.old_id == *old || p.new_id == *new)
                        .map(|p| p.row.to_string())
                        .collect();
                    return Err(Error::usage(
                        "crosswalk_many_to_many",
                        format!(
                            "{}: rows {}: old {old:?} is split into {} while new {new:?} merges {}; \
                             a crosswalk group may be a merge or a split, not both",
                            self.source,
                            rows.join(", "),
                            news.iter().map(|s| format!("{s:?}")).collect::<Vec<_>>().join(", "),
                            olds.iter().map(|s| format!("{s:?}")).collect::<Vec<_>>().join(", ")
                        ),
                    ));
                }
            }
        }
        Ok(())
    }
}

/// Reads a crosswalk CSV: a header naming the columns `old_id` and `new_id` (also `old`,
/// `new`, `old_code`, `new_code`), then one row per pair. Every problem is reported with
/// the file, row, column and value: a missing column, an empty id (`missing_id`), a
/// repeated row (`duplicate_id`); then a cycle (`crosswalk_cycle`) or a group that is both
/// a merge and a split (`crosswalk_many_to_many`).
///
/// ```
/// use apertura::input::crosswalk::read_crosswalk;
/// let cw = read_crosswalk(b"old_id,new_id\nA,B\nC,D\nE,D\n", "x.csv")?;
/// assert_eq!(cw.pairs.len(), 3);
/// assert_eq!(read_crosswalk(b"old_id,new_id\nA,B\nB,A\n", "x.csv").unwrap_err().code(), "crosswalk_cycle");
/// # Ok::<(), apertura::Error>(())
/// ```
///
/// Feature `csv`; [`Crosswalk::from_pairs`] builds one from pairs in any configuration.
#[cfg(feature = "csv")]
pub fn read_crosswalk(bytes: &[u8], source: &str) -> Result<Crosswalk> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF".as_slice()).unwrap_or(bytes);
    let malformed = |msg: String| -> Error { InputError::new(InputErrorKind::Malformed, msg).source(source).into() };
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let headers = reader
        .headers()
        .map_err(|e| malformed(format!("cannot read the header: {e}")))?
        .clone();
    let find = |names: &[&str]| {
        headers
            .iter()
            .position(|h| names.iter().any(|n| h.trim().eq_ignore_ascii_case(n)))
    };
    let old_col = find(&["old_id", "old", "old_code", "id_old"]);
    let new_col = find(&["new_id", "new", "new_code", "id_new"]);
    let (Some(old_col), Some(new_col)) = (old_col, new_col) else {
        return Err(malformed(format!(
            "a crosswalk needs the columns old_id and new_id; the header is {:?}",
            headers.iter().collect::<Vec<_>>().join(",")
        )));
    };
    let mut pairs = Vec::new();
    let mut errors = Vec::new();
    for (k, rec) in reader.records().enumerate() {
        let row = k + 1;
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                errors.push(
                    InputError::new(InputErrorKind::Malformed, e.to_string())
                        .source(source)
                        .row(row),
                );
                continue;
            }
        };
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let old_id = rec.get(old_col).unwrap_or("").trim().to_string();
        let new_id = rec.get(new_col).unwrap_or("").trim().to_string();
        for (col, v) in [("old_id", &old_id), ("new_id", &new_id)] {
            if v.is_empty() {
                errors.push(
                    InputError::new(InputErrorKind::MissingId, format!("empty {col} in the crosswalk"))
                        .source(source)
                        .row(row)
                        .column(col),
                );
            }
        }
        pairs.push(CrosswalkPair { old_id, new_id, row });
    }
    let cw = Crosswalk {
        pairs,
        source: source.to_string(),
    };
    cw.check(errors)?;
    Ok(cw)
}

#[cfg(all(test, feature = "csv"))]
mod tests {
    use super::*;

    #[test]
    fn reads_pairs_and_names_every_problem() {
        // Blank lines are skipped and not counted (rows are records, as the data readers count).
        let cw = read_crosswalk(b"new_id,old_id\nB,A\n\nD,C\n", "cw.csv").unwrap();
        assert_eq!(
            cw.pairs,
            vec![
                CrosswalkPair {
                    old_id: "A".into(),
                    new_id: "B".into(),
                    row: 1
                },
                CrosswalkPair {
                    old_id: "C".into(),
                    new_id: "D".into(),
                    row: 2
                }
            ]
        );
        let e = read_crosswalk(b"old_id,new_id\nA,B\nA,B\n,C\n", "cw.csv").unwrap_err();
        let Error::Input(list) = e else { panic!("input error") };
        let codes: Vec<(&str, Option<usize>)> = list.errors().iter().map(|e| (e.code(), e.row)).collect();
        assert_eq!(codes, [("missing_id", Some(3)), ("duplicate_id", Some(2))]);
        assert_eq!(list.errors()[1].value.as_deref(), Some("A,B"));
        assert_eq!(list.errors()[1].source.as_deref(), Some("cw.csv"));
        assert_eq!(read_crosswalk(b"a,b\n1,2\n", "cw.csv").unwrap_err().code(), "malformed");
    }

    #[test]
    fn cycles_and_many_to_many_are_errors_chains_and_self_rows_are_not() {
        let cyc = read_crosswalk(b"old_id,new_id\nA,B\nB,C\nC,A\n", "cw.csv").unwrap_err();
        assert_eq!(cyc.code(), "crosswalk_cycle");
        let text = cyc.to_string();
        assert!(
            text.contains("A -> B -> C -> A") && text.contains("rows 1, 2, 3"),
            "{text}"
        );
        assert_eq!(
            read_crosswalk(b"old_id,new_id\nA,B\nB,A\n", "cw.csv")
                .unwrap_err()
                .code(),
            "crosswalk_cycle"
        );
        assert!(read_crosswalk(b"old_id,new_id\nA,A\nA,B\nB,C\n", "cw.csv").is_ok());
        let m = read_crosswalk(b"old_id,new_id\nA,X\nA,Y\nB,Y\n", "cw.csv").unwrap_err();
        assert_eq!(m.code(), "crosswalk_many_to_many");
        assert!(Crosswalk::from_pairs([("A", "X"), ("B", "X")], "pairs").is_ok());
        assert_eq!(
            Crosswalk::from_pairs([("A", "X"), ("X", "A")], "pairs")
                .unwrap_err()
                .code(),
            "crosswalk_cycle"
        );
    }
}
