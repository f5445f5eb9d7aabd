//! Writers of results: score and summary tables (text cells, CSV, JSON), with values at
//! full precision or rounded half up for display.

use serde_json::Value;

use crate::analysis::Summary;
use crate::edition::{Edition, NodeLevel};
use crate::scoring::Scores;

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
pub fn display_nodes(edition: &Edition, scores: &Scores) -> Vec<String> {
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
pub fn score_table(edition: &Edition, scores: &Scores, decimals: Option<u8>) -> (Vec<String>, Vec<Vec<String>>) {
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
                    (Some(v), None) => crate::input::write::f64_text(v),
                    (None, _) => String::new(),
                });
            }
            // Rank 0: no index value (incomplete = partial).
            row.push(match scores.rank[i] {
                0 => String::new(),
                r => r.to_string(),
            });
            row.push(scores.quadrant[i].map(|q| q.as_str().to_string()).unwrap_or_default());
            row
        })
        .collect();
    (header, rows)
}

/// The score table as JSON objects (numbers at full precision, `null` where unknown).
pub fn scores_to_json(edition: &Edition, scores: &Scores) -> Value {
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
pub fn scores_to_json_string(edition: &Edition, scores: &Scores) -> String {
    use serde::ser::{SerializeMap, SerializeSeq, Serializer};
    use serde::Serialize;
    struct Rows<'a> {
        scores: &'a Scores,
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

/// Writes the score table of [`score_table`] as CSV to `w`, streaming: the same bytes as
/// `to_csv(score_table(..))` without a `String` per cell or the whole text in memory
/// (values in `format!("{v}")`'s form through [`crate::io::push_f64`], or rounded half up
/// to `decimals`). A unit test checks the bytes. With feature `parallel`, a large table is
/// formatted on two threads in chunks of [`WRITE_CHUNK_ROWS`] rows, written in order (the
/// same bytes; at most two chunks in memory).
#[cfg(feature = "csv")]
pub fn write_score_csv<W: std::io::Write>(
    w: W,
    edition: &Edition,
    scores: &Scores,
    decimals: Option<u8>,
) -> std::io::Result<()> {
    write_score_csv_chunked(w, edition, scores, decimals, WRITE_CHUNK_ROWS)
}

/// Rows of the score table formatted per chunk when [`write_score_csv`] uses two threads.
#[cfg(feature = "csv")]
pub const WRITE_CHUNK_ROWS: usize = 8192;

#[cfg(feature = "csv")]
#[cfg_attr(not(feature = "parallel"), allow(unused_mut, unused_variables))]
fn write_score_csv_chunked<W: std::io::Write>(
    mut w: W,
    edition: &Edition,
    scores: &Scores,
    decimals: Option<u8>,
    chunk: usize,
) -> std::io::Result<()> {
    use crate::input::write::csv_writer;
    let nodes = display_nodes(edition, scores);
    let idx: Vec<usize> = nodes
        .iter()
        .map(|n| scores.node_index(n).expect("from scores"))
        .collect();
    let mut header: Vec<&str> = vec!["id", "name", "jurisdiction", "level", "type"];
    header.extend(nodes.iter().map(String::as_str));
    header.extend(["rank", "quadrant"]);
    #[cfg(feature = "parallel")]
    if scores.len() > chunk && rayon::current_num_threads() >= 2 {
        let format = |rows: std::ops::Range<usize>| -> std::io::Result<Vec<u8>> {
            let mut cw = csv_writer(Vec::with_capacity(rows.len() * 64 * (idx.len() + 7)));
            write_score_rows(&mut cw, scores, &idx, decimals, rows)?;
            cw.into_inner().map_err(|e| e.into_error())
        };
        let mut cw = csv_writer(&mut w);
        cw.write_record(&header)?;
        cw.flush()?;
        drop(cw);
        let n = scores.len();
        let mut at = 0;
        while at < n {
            let (a, b) = (at..(at + chunk).min(n), (at + chunk).min(n)..(at + 2 * chunk).min(n));
            let (a, b) = rayon::join(|| format(a), || format(b));
            w.write_all(&a?)?;
            w.write_all(&b?)?;
            at = (at + 2 * chunk).min(n);
        }
        return w.flush();
    }
    let mut cw = csv_writer(w);
    cw.write_record(&header)?;
    write_score_rows(&mut cw, scores, &idx, decimals, 0..scores.len())?;
    cw.flush()
}

/// The rows `rows` of the score table (nodes at `idx`) as CSV records.
#[cfg(feature = "csv")]
fn write_score_rows<W: std::io::Write>(
    w: &mut ::csv::Writer<W>,
    scores: &Scores,
    idx: &[usize],
    decimals: Option<u8>,
    rows: std::ops::Range<usize>,
) -> std::io::Result<()> {
    use crate::input::write::push_f64;
    let mut num = String::with_capacity(32);
    for i in rows {
        let inst = &scores.institutions[i];
        w.write_field(&inst.id)?;
        w.write_field(&inst.name)?;
        w.write_field(inst.jurisdiction.map_or("", |j| j.name()))?;
        w.write_field(inst.level.map_or("", |l| l.name()))?;
        w.write_field(inst.kind.as_ref().map_or("", |k| k.name()))?;
        for &j in idx {
            num.clear();
            match (scores.value(i, j), decimals) {
                (Some(v), Some(d)) => num.push_str(&round_half_up(v, d)),
                (Some(v), None) => push_f64(&mut num, v),
                (None, _) => {}
            }
            w.write_field(&num)?;
        }
        num.clear();
        // Rank 0: no index value (incomplete = partial).
        if scores.rank[i] != 0 {
            use std::fmt::Write;
            let _ = write!(num, "{}", scores.rank[i]);
        }
        w.write_field(&num)?;
        w.write_field(scores.quadrant[i].map_or("", |q| q.as_str()))?;
        w.write_record(None::<&[u8]>)?;
    }
    Ok(())
}

/// Writes the score table as JSON to `w`, streaming: the same bytes as serializing
/// [`scores_to_json`] (`serde_json::to_writer`, or `to_writer_pretty` if `pretty`), keys
/// in its order (sorted), without building a `serde_json::Value` per row. A unit test
/// checks the bytes.
#[cfg(feature = "json")]
pub fn write_scores_json<W: std::io::Write>(
    w: W,
    edition: &Edition,
    scores: &Scores,
    pretty: bool,
) -> std::io::Result<()> {
    use serde::ser::{SerializeMap, SerializeSeq, Serializer};
    use serde::Serialize;
    enum Key {
        Id,
        Name,
        Jurisdiction,
        Level,
        Type,
        Node(usize),
        Rank,
        Quadrant,
    }
    struct Rows<'a> {
        scores: &'a Scores,
        keys: Vec<(String, Key)>,
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
            let mut m = s.serialize_map(Some(rows.keys.len()))?;
            for (name, key) in &rows.keys {
                match key {
                    Key::Id => m.serialize_entry(name, &inst.id)?,
                    Key::Name => m.serialize_entry(name, &inst.name)?,
                    Key::Jurisdiction => m.serialize_entry(name, &inst.jurisdiction.map(|j| j.name()))?,
                    Key::Level => m.serialize_entry(name, &inst.level.map(|l| l.name()))?,
                    Key::Type => m.serialize_entry(name, &inst.kind.as_ref().map(|k| k.name()))?,
                    Key::Node(j) => m.serialize_entry(name, &rows.scores.value(i, *j))?,
                    Key::Rank => m.serialize_entry(name, &rows.scores.rank[i])?,
                    Key::Quadrant => m.serialize_entry(name, &rows.scores.quadrant[i].map(|q| q.as_str()))?,
                }
            }
            m.end()
        }
    }
    let mut keys: Vec<(String, Key)> = vec![
        ("id".into(), Key::Id),
        ("name".into(), Key::Name),
        ("jurisdiction".into(), Key::Jurisdiction),
        ("level".into(), Key::Level),
        ("type".into(), Key::Type),
    ];
    for n in display_nodes(edition, scores) {
        let j = scores.node_index(&n).expect("display nodes come from the scores");
        // A node named like a metadata key replaces it, as in the map of `scores_to_json`.
        keys.retain(|(k, _)| *k != n);
        keys.push((n, Key::Node(j)));
    }
    keys.retain(|(k, _)| k != "rank" && k != "quadrant");
    keys.push(("rank".into(), Key::Rank));
    keys.push(("quadrant".into(), Key::Quadrant));
    keys.sort_by(|a, b| a.0.cmp(&b.0));
    let rows = Rows { scores, keys };
    let mut w = std::io::BufWriter::with_capacity(1 << 16, w);
    if pretty {
        serde_json::to_writer_pretty(&mut w, &rows)?;
    } else {
        serde_json::to_writer(&mut w, &rows)?;
    }
    std::io::Write::flush(&mut w)
}

/// The summary table as text cells: `group, n, <perspective-and-above node means>`
/// (`iga, t, p, tg, tc, pg, pc` for the MGA editions; the root and its children where
/// the root has no such levels below it, as GODI).
pub fn summary_table(edition: &Edition, summary: &Summary, decimals: Option<u8>) -> (Vec<String>, Vec<Vec<String>>) {
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
    // An edition whose root sits directly on components (GODI's datasets, the DGI's
    // dimensions) shows them too.
    if nodes.len() == 1 {
        let r = t.root;
        nodes.extend(
            t.child[t.child_start[r]..t.child_start[r + 1]]
                .iter()
                .map(|&c| t.ids[c].clone()),
        );
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
pub fn summary_to_json(edition: &Edition, summary: &Summary) -> Value {
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

/// Writes the summary table of [`summary_table`] as CSV to `w`.
#[cfg(feature = "csv")]
pub fn write_summary_csv<W: std::io::Write>(
    w: W,
    edition: &Edition,
    summary: &Summary,
    decimals: Option<u8>,
) -> std::io::Result<()> {
    let (header, rows) = summary_table(edition, summary, decimals);
    crate::input::write::write_csv(w, &header, &rows)
}

/// Writes [`summary_to_json`] as JSON to `w` (pretty if `pretty`).
#[cfg(feature = "json")]
pub fn write_summary_json<W: std::io::Write>(
    w: W,
    edition: &Edition,
    summary: &Summary,
    pretty: bool,
) -> std::io::Result<()> {
    let mut w = std::io::BufWriter::new(w);
    let v = summary_to_json(edition, summary);
    if pretty {
        serde_json::to_writer_pretty(&mut w, &v)?;
    } else {
        serde_json::to_writer(&mut w, &v)?;
    }
    std::io::Write::flush(&mut w)
}

#[cfg(all(test, feature = "csv", feature = "json"))]
mod tests {
    use super::*;
    use crate::input::read::read_csv;
    use crate::input::Dataset;

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

    fn streamed_equal_the_table_forms(edition: &Edition, data: &Dataset) {
        let plan = crate::Plan::new(edition, &crate::Options::default()).unwrap();
        let scores = plan.score(data).unwrap();
        for decimals in [None, Some(2)] {
            let (h, r) = score_table(edition, &scores, decimals);
            let mut out = Vec::new();
            write_score_csv(&mut out, edition, &scores, decimals).unwrap();
            assert_eq!(String::from_utf8(out).unwrap(), crate::input::write::to_csv(&h, &r));
            // The two-thread form (feature `parallel`), with chunks of every small size: the
            // chunks go out in order, so the bytes are the same.
            for chunk in [1, 2, 3, 7] {
                let mut out = Vec::new();
                write_score_csv_chunked(&mut out, edition, &scores, decimals, chunk).unwrap();
                assert_eq!(
                    String::from_utf8(out).unwrap(),
                    crate::input::write::to_csv(&h, &r),
                    "chunk {chunk}"
                );
            }
        }
        let tree = scores_to_json(edition, &scores);
        for pretty in [false, true] {
            let mut out = Vec::new();
            write_scores_json(&mut out, edition, &scores, pretty).unwrap();
            let expected = if pretty {
                serde_json::to_string_pretty(&tree).unwrap()
            } else {
                serde_json::to_string(&tree).unwrap()
            };
            assert_eq!(String::from_utf8(out).unwrap(), expected);
        }
        let summary = crate::summary(&plan, &scores, &crate::GroupBy::parse("jurisdiction"));
        let mut out = Vec::new();
        write_summary_json(&mut out, edition, &summary, true).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            serde_json::to_string_pretty(&summary_to_json(edition, &summary)).unwrap()
        );
    }

    #[test]
    fn streamed_writers_equal_the_table_forms() {
        let e = Edition::load("mga-2017").unwrap();
        streamed_equal_the_table_forms(&e, &crate::synthetic::item_level(&e, 300, 3));
        let csv = "SO,edo,niv,ts,tg,tc,pg,pc,extra\nA,Jalisco,Municipal,Municipio,0.1,0.2,0.3,0.4,x\n\
                   \"B, \"\"quoted\"\"\",,,,1,1,NA,0,\nC,Federal,Federal,Autonomo,0.25,0.5,0,0.75,y\n";
        streamed_equal_the_table_forms(&e, &read_csv(csv.as_bytes(), &e, "t").unwrap());
        let e = Edition::load("mga-2023").unwrap();
        streamed_equal_the_table_forms(&e, &crate::synthetic::item_level(&e, 50, 1));
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
