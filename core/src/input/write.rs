//! Writers of input data: a [`Dataset`] back to CSV, and the CSV table writer every
//! text output uses.

use crate::input::dataset::{Cell, Dataset};

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
