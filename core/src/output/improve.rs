//! Improvement paths as tables: the actions of one path, one row per institution
//! (`--all`), and the cost-score frontier; values at full precision, or rounded half up
//! for display.

use crate::analysis::improve::{Action, FrontierPoint, Improvement};
use crate::output::tables::round_half_up;

fn num(v: f64, decimals: Option<u8>) -> String {
    if v.is_infinite() {
        return if v > 0.0 { "inf".into() } else { "-inf".into() };
    }
    if v.is_nan() {
        return String::new();
    }
    match decimals {
        Some(d) => round_half_up(v, d),
        None => format!("{v}"),
    }
}

fn header(cols: &[&str]) -> Vec<String> {
    cols.iter().map(|s| s.to_string()).collect()
}

/// The actions of one path: `node, from, to, steps, cost, gain`.
pub fn actions_table(actions: &[Action], decimals: Option<u8>) -> (Vec<String>, Vec<Vec<String>>) {
    let rows = actions
        .iter()
        .map(|a| {
            vec![
                a.node.clone(),
                num(a.from, decimals),
                num(a.to, decimals),
                a.steps.to_string(),
                num(a.cost, decimals),
                num(a.gain, decimals),
            ]
        })
        .collect();
    (header(&["node", "from", "to", "steps", "cost", "gain"]), rows)
}

/// One row per institution: `id, name, feasible, cost, required, score_before,
/// score_after, rank_before, rank_after, quadrant_before, quadrant_after, steps, reason`
/// (`steps` lists the actions as `node+steps`).
pub fn improvements_table(rows: &[Improvement], decimals: Option<u8>) -> (Vec<String>, Vec<Vec<String>>) {
    let q = |q: Option<crate::Quadrant>| q.map(|q| q.as_str().to_string()).unwrap_or_default();
    let body = rows
        .iter()
        .map(|r| {
            vec![
                r.institution.clone(),
                r.name.clone(),
                r.feasible.to_string(),
                if r.feasible {
                    num(r.cost, decimals)
                } else {
                    "infeasible".into()
                },
                num(r.required, decimals),
                num(r.score_before, decimals),
                num(r.score_after, decimals),
                r.rank_before.to_string(),
                r.rank_after.to_string(),
                q(r.quadrant_before),
                q(r.quadrant_after),
                steps_list(&r.actions),
                r.reason.clone().unwrap_or_default(),
            ]
        })
        .collect();
    let h = header(&[
        "id",
        "name",
        "feasible",
        "cost",
        "required",
        "score_before",
        "score_after",
        "rank_before",
        "rank_after",
        "quadrant_before",
        "quadrant_after",
        "steps",
        "reason",
    ]);
    (h, body)
}

/// The frontier: `cost, score, steps` (the actions as `node+steps`), cost ascending.
pub fn frontier_table(points: &[FrontierPoint], decimals: Option<u8>) -> (Vec<String>, Vec<Vec<String>>) {
    let rows = points
        .iter()
        .map(|p| vec![num(p.cost, decimals), num(p.score, decimals), steps_list(&p.actions)])
        .collect();
    (header(&["cost", "score", "steps"]), rows)
}

/// Actions written `tg.ai+2 tc.claridad+1`, in edition order of the list given.
pub fn steps_list(actions: &[Action]) -> String {
    actions
        .iter()
        .map(|a| format!("{}+{}", a.node, a.steps))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_infinite_and_rounded_values() {
        let a = Action {
            node: "tg.ai".into(),
            from: 1.0 / 3.0,
            to: 2.0 / 3.0,
            steps: 1,
            cost: 2.0,
            gain: 0.041_666,
        };
        let (h, r) = actions_table(std::slice::from_ref(&a), Some(3));
        assert_eq!(h, ["node", "from", "to", "steps", "cost", "gain"]);
        assert_eq!(r[0], ["tg.ai", "0.333", "0.667", "1", "2.000", "0.042"]);
        assert_eq!(num(f64::INFINITY, None), "inf");
        assert_eq!(
            steps_list(&[
                a.clone(),
                Action {
                    node: "pc".into(),
                    steps: 3,
                    ..a
                }
            ]),
            "tg.ai+1 pc+3"
        );
    }
}
