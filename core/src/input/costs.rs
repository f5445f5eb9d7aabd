//! Costs of improvement steps ([`NodeCost`]): a CSV file `node,cost_per_step`, one row per
//! node (or aggregate, for every node under it); `inf` freezes a node.

use serde::{Deserialize, Serialize};

#[cfg(feature = "csv")]
use crate::error::{Error, InputError, InputErrorKind, InputErrors, Result};

/// The cost of one step of one node (or of every node under an aggregate).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NodeCost {
    /// Node id or alias (`tg.ai`, `PG`, ...).
    pub node: String,
    /// Cost of one step: finite and at least 0, or infinite (the node is frozen).
    pub cost_per_step: f64,
    /// Row of the costs file it came from (1-based, header excluded), for errors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub row: Option<usize>,
}

/// A cost per step as written: a finite number, or `inf` / `infinity` (any case, `+`
/// allowed) for a frozen node; `None` for anything else (NaN and `-inf` included). The
/// sign is checked by the caller, which names the row.
pub fn parse_cost(text: &str) -> Option<f64> {
    match text.trim().to_ascii_lowercase().as_str() {
        "inf" | "+inf" | "infinity" | "+infinity" => Some(f64::INFINITY),
        t => t.parse::<f64>().ok().filter(|v| v.is_finite()),
    }
}

/// Reads a costs file: CSV with the header `node,cost_per_step` (any column order, other
/// columns ignored). A cost is a number at least 0 or `inf`; a node listed twice, a
/// negative cost or text is an error naming the file, row, column and value. Feature `csv`.
#[cfg(feature = "csv")]
pub fn read_costs(text: &str, source: Option<&str>) -> Result<Vec<NodeCost>> {
    let mk = |kind, msg: String| {
        let mut e = InputError::new(kind, msg);
        e.source = source.map(str::to_string);
        e
    };
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| Error::from(mk(InputErrorKind::Malformed, format!("costs: {e}"))))?
        .clone();
    let col = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
    let (Some(nc), Some(cc)) = (col("node"), col("cost_per_step")) else {
        return Err(Error::from(mk(
            InputErrorKind::Malformed,
            format!(
                "costs: the header must name the columns node and cost_per_step (found {:?})",
                headers.iter().collect::<Vec<_>>()
            ),
        )));
    };
    let mut out: Vec<NodeCost> = Vec::new();
    let mut errors = Vec::new();
    for (i, rec) in reader.records().enumerate() {
        let row = i + 1;
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                errors.push(mk(InputErrorKind::Malformed, format!("costs: {e}")).row(row));
                continue;
            }
        };
        let node = rec.get(nc).unwrap_or("").to_string();
        let raw = rec.get(cc).unwrap_or("");
        if node.is_empty() {
            errors.push(
                mk(InputErrorKind::Malformed, "costs: a row without node".into())
                    .row(row)
                    .column("node"),
            );
            continue;
        }
        let cost = parse_cost(raw);
        match cost {
            Some(v) if v >= 0.0 => {
                if out.iter().any(|c| c.node == node) {
                    errors.push(
                        mk(
                            InputErrorKind::DuplicateId,
                            format!("costs: node {node:?} is listed twice"),
                        )
                        .row(row)
                        .column("node")
                        .value(node.clone()),
                    );
                } else {
                    out.push(NodeCost {
                        node,
                        cost_per_step: v,
                        row: Some(row),
                    });
                }
            }
            Some(_) => errors.push(
                mk(
                    InputErrorKind::OutOfRange,
                    format!("costs: the cost per step of {node:?} is negative"),
                )
                .row(row)
                .column("cost_per_step")
                .item(node.clone())
                .value(raw),
            ),
            None => errors.push(
                mk(
                    InputErrorKind::NotANumber,
                    format!("costs: the cost per step of {node:?} is not a number (write 2, 0.5 or inf)"),
                )
                .row(row)
                .column("cost_per_step")
                .item(node.clone())
                .value(raw),
            ),
        }
    }
    match InputErrors::from_vec(errors) {
        Some(e) => Err(Error::Input(e)),
        None => Ok(out),
    }
}

#[cfg(all(test, feature = "csv"))]
mod tests {
    use super::*;

    #[test]
    fn reads_costs_and_names_bad_rows() {
        let c = read_costs("node,cost_per_step\ntg.ai,2\npc,inf\n", None).unwrap();
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].cost_per_step, 2.0);
        assert!(c[1].cost_per_step.is_infinite());
        let Err(Error::Input(e)) = read_costs("node,cost_per_step\ntg.ai,-1\ntg.tr,abc\ntg.ai,1\n", Some("c.csv"))
        else {
            panic!("expected errors")
        };
        let rows: Vec<_> = e.errors().iter().map(|x| (x.row, x.code())).collect();
        assert_eq!(rows, vec![(Some(1), "out_of_range"), (Some(2), "not_a_number")]);
        assert_eq!(e.errors()[0].source.as_deref(), Some("c.csv"));
        assert!(read_costs("a,b\n1,2\n", None).is_err());
    }
}
