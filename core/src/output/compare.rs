//! Writers of a [`Comparison`]: the institution table (CSV cells and JSON), the quadrant
//! transition table, the group table and the movers, with values at full precision
//! (shortest round-trip) or rounded half up for display; and the rank intervals of an
//! uncertainty analysis in the form [`compare`](crate::analysis::compare()) reads.

#[cfg(feature = "json")]
use serde_json::{Map, Value};

#[cfg(feature = "json")]
use crate::analysis::compare::InstitutionChange;
#[cfg(feature = "robustness")]
use crate::analysis::compare::RankInterval;
use crate::analysis::compare::{quadrant_index, Comparison, QUADRANT_LABELS};
use crate::output::tables::round_half_up;
#[cfg(feature = "robustness")]
use crate::robustness::Uncertainty;

fn cell(v: Option<f64>, decimals: Option<u8>) -> String {
    match (v, decimals) {
        (Some(v), Some(d)) => round_half_up(v, d),
        (Some(v), None) => format!("{v}"),
        (None, _) => String::new(),
    }
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

fn has_significance(cmp: &Comparison) -> bool {
    cmp.institutions.iter().any(|r| r.significant.is_some())
}

/// The institution table as text cells. Header: `id, name, status, rank_old, rank_new,
/// rank_delta, quadrant_old, quadrant_new, old_id`, then `significant` when rank intervals
/// were given, then `<node>_old, <node>_new, <node>_delta` for every compared node, then
/// `<node>_data_effect, <node>_method_effect` for every node where the effects apply.
/// `id` is the new id where there is one; `old_id` the old file's id (different for
/// renamed, merged and split institutions). Values at full precision unless `decimals`.
pub fn compare_table(cmp: &Comparison, decimals: Option<u8>) -> (Vec<String>, Vec<Vec<String>>) {
    let mut header: Vec<String> = [
        "id",
        "name",
        "status",
        "rank_old",
        "rank_new",
        "rank_delta",
        "quadrant_old",
        "quadrant_new",
        "old_id",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let significance = has_significance(cmp);
    if significance {
        header.push("significant".into());
    }
    for n in &cmp.nodes {
        header.extend([format!("{n}_old"), format!("{n}_new"), format!("{n}_delta")]);
    }
    if cmp.effects {
        for n in &cmp.nodes {
            header.extend([format!("{n}_data_effect"), format!("{n}_method_effect")]);
        }
    }
    let rows = cmp
        .institutions
        .iter()
        .map(|r| {
            let mut row = vec![
                r.id.clone(),
                r.name.clone(),
                r.status.as_str().to_string(),
                opt(r.rank_old),
                opt(r.rank_new),
                opt(r.rank_delta),
                opt(r.quadrant_old.map(|q| q.as_str())),
                opt(r.quadrant_new.map(|q| q.as_str())),
                r.old_id.clone().unwrap_or_default(),
            ];
            if significance {
                row.push(opt(r.significant));
            }
            for c in &r.nodes {
                row.extend([cell(c.old, decimals), cell(c.new, decimals), cell(c.delta, decimals)]);
            }
            if cmp.effects {
                for c in &r.nodes {
                    row.extend([cell(c.data_effect, decimals), cell(c.method_effect, decimals)]);
                }
            }
            row
        })
        .collect();
    (header, rows)
}

#[cfg(feature = "json")]
fn row_json(cmp: &Comparison, r: &InstitutionChange, significance: bool) -> Value {
    let mut o = Map::new();
    o.insert("id".into(), r.id.clone().into());
    o.insert("name".into(), r.name.clone().into());
    o.insert("status".into(), r.status.as_str().into());
    o.insert("rank_old".into(), r.rank_old.into());
    o.insert("rank_new".into(), r.rank_new.into());
    o.insert("rank_delta".into(), r.rank_delta.into());
    o.insert("quadrant_old".into(), r.quadrant_old.map(|q| q.as_str()).into());
    o.insert("quadrant_new".into(), r.quadrant_new.map(|q| q.as_str()).into());
    o.insert("old_id".into(), r.old_id.clone().into());
    o.insert("new_id".into(), r.new_id.clone().into());
    if significance {
        o.insert("significant".into(), r.significant.into());
    }
    for (n, c) in cmp.nodes.iter().zip(&r.nodes) {
        o.insert(format!("{n}_old"), c.old.into());
        o.insert(format!("{n}_new"), c.new.into());
        o.insert(format!("{n}_delta"), c.delta.into());
    }
    if cmp.effects {
        for (n, c) in cmp.nodes.iter().zip(&r.nodes) {
            o.insert(format!("{n}_data_effect"), c.data_effect.into());
            o.insert(format!("{n}_method_effect"), c.method_effect.into());
        }
    }
    Value::Object(o)
}

/// The whole comparison as JSON: `old_edition`, `new_edition`, `nodes`, `effects`,
/// `notes`, `counts` (by status), `transitions` (`labels` and `counts[old][new]`),
/// `institutions` (objects with the keys of [`compare_table`], plus `new_id`; numbers at
/// full precision, `null` where unknown) and, with `by`, `groups` (objects with the keys
/// of [`compare_groups_table`]) and `ungrouped`. Feature `json`.
#[cfg(feature = "json")]
pub fn compare_to_json(cmp: &Comparison) -> Value {
    let significance = has_significance(cmp);
    let mut o = Map::new();
    o.insert("old_edition".into(), cmp.old_edition.clone().into());
    o.insert("new_edition".into(), cmp.new_edition.clone().into());
    o.insert("nodes".into(), cmp.nodes.clone().into());
    o.insert("effects".into(), cmp.effects.into());
    o.insert("notes".into(), cmp.notes.clone().into());
    o.insert(
        "counts".into(),
        serde_json::to_value(&cmp.counts).expect("plain counts"),
    );
    o.insert(
        "transitions".into(),
        serde_json::json!({ "labels": QUADRANT_LABELS, "counts": cmp.transitions.counts }),
    );
    o.insert(
        "institutions".into(),
        Value::Array(
            cmp.institutions
                .iter()
                .map(|r| row_json(cmp, r, significance))
                .collect(),
        ),
    );
    if cmp.by.is_some() {
        let (h, rows) = compare_groups_table(cmp, None, None);
        let groups = cmp
            .groups
            .iter()
            .zip(rows)
            .map(|(g, row)| {
                let mut m = Map::new();
                for (k, (name, text)) in h.iter().zip(row).enumerate() {
                    let v: Value = match k {
                        0 => g.group.clone().into(),
                        1..=3 => text.parse::<u64>().map(Value::from).unwrap_or(Value::Null),
                        _ => text.parse::<f64>().map(Value::from).unwrap_or(Value::Null),
                    };
                    m.insert(name.clone(), v);
                }
                Value::Object(m)
            })
            .collect();
        o.insert("groups".into(), Value::Array(groups));
        o.insert("ungrouped".into(), cmp.ungrouped.into());
    }
    Value::Object(o)
}

/// The quadrant transition table: header `old \ new, I, II, III, IV, none`, one row per
/// old quadrant (the last `none`: unknown), counts of matched rows.
pub fn transition_table(cmp: &Comparison) -> (Vec<String>, Vec<Vec<String>>) {
    let mut header = vec!["old \\ new".to_string()];
    header.extend(QUADRANT_LABELS.iter().map(|s| s.to_string()));
    let rows = QUADRANT_LABELS
        .iter()
        .enumerate()
        .map(|(k, label)| {
            let mut row = vec![label.to_string()];
            row.extend(cmp.transitions.counts[k].iter().map(|c| c.to_string()));
            row
        })
        .collect();
    (header, rows)
}

/// The group table: `group, n_matched, n_old_only, n_new_only`, then `<node>_old,
/// <node>_new, <node>_delta` (group means over the matched rows with both values) for
/// `nodes` (default: every compared node), then `national`.
pub fn compare_groups_table(
    cmp: &Comparison,
    decimals: Option<u8>,
    nodes: Option<&[&str]>,
) -> (Vec<String>, Vec<Vec<String>>) {
    let keep: Vec<usize> = (0..cmp.nodes.len())
        .filter(|&k| nodes.is_none_or(|list| list.contains(&cmp.nodes[k].as_str())))
        .collect();
    let mut header: Vec<String> = ["group", "n_matched", "n_old_only", "n_new_only"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    for &k in &keep {
        let n = &cmp.nodes[k];
        header.extend([format!("{n}_old"), format!("{n}_new"), format!("{n}_delta")]);
    }
    let rows = cmp
        .groups
        .iter()
        .map(|g| {
            let mut row = vec![
                g.group.clone(),
                g.n_matched.to_string(),
                g.n_old_only.to_string(),
                g.n_new_only.to_string(),
            ];
            for &k in &keep {
                let s = g.nodes[k];
                row.extend([
                    cell(s.map(|s| s.mean_old), decimals),
                    cell(s.map(|s| s.mean_new), decimals),
                    cell(s.map(|s| s.mean_delta), decimals),
                ]);
            }
            row
        })
        .collect();
    (header, rows)
}

/// The `k` matched rows that gained most places (most negative `rank_delta`) and the `k`
/// that lost most, as positions in [`Comparison::institutions`]; ties by id. Rows without
/// a rank change (0) are left out.
pub fn movers(cmp: &Comparison, k: usize) -> (Vec<usize>, Vec<usize>) {
    let mut moved: Vec<(i64, usize)> = cmp
        .institutions
        .iter()
        .enumerate()
        .filter_map(|(i, r)| r.rank_delta.filter(|&d| d != 0).map(|d| (d, i)))
        .collect();
    moved.sort();
    let gains = moved.iter().filter(|m| m.0 < 0).take(k).map(|m| m.1).collect();
    let mut losses: Vec<(i64, usize)> = moved.into_iter().filter(|m| m.0 > 0).collect();
    losses.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    (gains, losses.into_iter().take(k).map(|m| m.1).collect())
}

/// The 5th-95th percentile rank intervals of an uncertainty analysis, one per institution,
/// as [`RankIntervals`](crate::analysis::compare::RankIntervals) holds them.
#[cfg(feature = "robustness")]
pub fn rank_intervals(ua: &Uncertainty) -> Vec<RankInterval> {
    ua.institutions
        .iter()
        .map(|x| RankInterval {
            id: x.id.clone(),
            low: x.rank_q05,
            high: x.rank_q95,
        })
        .collect()
}

/// Number of matched rows whose quadrant changed (unknown quadrants included).
pub fn quadrant_changes(cmp: &Comparison) -> usize {
    cmp.institutions
        .iter()
        .filter(|r| r.status.is_matched() && quadrant_index(r.quadrant_old) != quadrant_index(r.quadrant_new))
        .count()
}
