//! Writers of robustness results: the uncertainty tables (institutions, groups, runs) and
//! the sensitivity tables (indices, convergence, runs) as text cells, at full precision or
//! rounded half up for display. Empty cells mean "not defined" (an index of a constant
//! target, an interval without a bootstrap, a rho of an all-tied ranking); never NaN.

use crate::output::tables::round_half_up;
use crate::robustness::{Factor, Sensitivity, Uncertainty};

fn num(x: f64, decimals: Option<u8>) -> String {
    match decimals {
        Some(d) => round_half_up(x, d),
        None => format!("{x}"),
    }
}

fn opt(x: Option<f64>, decimals: Option<u8>) -> String {
    x.map(|v| num(v, decimals)).unwrap_or_default()
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// A factor's resolved value as text: the alternative's name for a discrete factor.
pub fn factor_value(factor: &Factor, value: f64, decimals: Option<u8>) -> String {
    if factor.is_discrete() {
        factor
            .alternatives
            .get(value as usize)
            .cloned()
            .unwrap_or_else(|| format!("{value}"))
    } else {
        num(value, decimals)
    }
}

/// One row per institution, input order: `id, name, score, rank, rank_median, rank_mean,
/// rank_q05, rank_q95, score_median, score_q05, score_q95, p_top`.
pub fn uncertainty_table(ua: &Uncertainty, decimals: Option<u8>) -> (Vec<String>, Vec<Vec<String>>) {
    let header = strings(&[
        "id",
        "name",
        "score",
        "rank",
        "rank_median",
        "rank_mean",
        "rank_q05",
        "rank_q95",
        "score_median",
        "score_q05",
        "score_q95",
        "p_top",
    ]);
    let rank_d = decimals.map(|_| 1);
    let rows = ua
        .institutions
        .iter()
        .map(|x| {
            vec![
                x.id.clone(),
                x.name.clone(),
                num(x.score, decimals),
                x.rank.to_string(),
                num(x.rank_median, rank_d),
                num(x.rank_mean, rank_d),
                num(x.rank_q05, rank_d),
                num(x.rank_q95, rank_d),
                num(x.score_median, decimals),
                num(x.score_q05, decimals),
                num(x.score_q95, decimals),
                num(x.p_top, decimals),
            ]
        })
        .collect();
    (header, rows)
}

/// One row per group: `group, n, mean, rank, mean_median, mean_q05, mean_q95,
/// rank_median, rank_q05, rank_q95`.
pub fn uncertainty_groups_table(ua: &Uncertainty, decimals: Option<u8>) -> (Vec<String>, Vec<Vec<String>>) {
    let header = strings(&[
        "group",
        "n",
        "mean",
        "rank",
        "mean_median",
        "mean_q05",
        "mean_q95",
        "rank_median",
        "rank_q05",
        "rank_q95",
    ]);
    let rank_d = decimals.map(|_| 1);
    let rows = ua
        .groups
        .iter()
        .map(|g| {
            vec![
                g.group.clone(),
                g.n.to_string(),
                num(g.mean, decimals),
                g.rank.to_string(),
                num(g.mean_median, decimals),
                num(g.mean_q05, decimals),
                num(g.mean_q95, decimals),
                num(g.rank_median, rank_d),
                num(g.rank_q05, rank_d),
                num(g.rank_q95, rank_d),
            ]
        })
        .collect();
    (header, rows)
}

/// One row per run: `run`, each factor's resolved value, `rank_shift, spearman, national`.
pub fn uncertainty_runs_table(ua: &Uncertainty) -> (Vec<String>, Vec<Vec<String>>) {
    let mut header = vec!["run".to_string()];
    header.extend(ua.factors.iter().map(|f| f.name.clone()));
    header.extend(strings(&["rank_shift", "spearman", "national"]));
    let rows = ua
        .runs
        .iter()
        .map(|r| {
            let mut row = vec![r.run.to_string()];
            row.extend(ua.factors.iter().zip(&r.values).map(|(f, &v)| factor_value(f, v, None)));
            row.push(format!("{}", r.rank_shift));
            row.push(opt(r.spearman, None));
            row.push(format!("{}", r.national));
            row
        })
        .collect();
    (header, rows)
}

/// One row per (target, institution, factor): `target, institution, factor, s1, s1_lo,
/// s1_hi, st, st_lo, st_hi, s1_nonzero, st_nonzero` (`institution` empty for `rank_shift`
/// and `national`). A constant target has one row with an empty factor and empty indices.
pub fn sensitivity_table(sa: &Sensitivity, decimals: Option<u8>) -> (Vec<String>, Vec<Vec<String>>) {
    let header = strings(&[
        "target",
        "institution",
        "factor",
        "s1",
        "s1_lo",
        "s1_hi",
        "st",
        "st_lo",
        "st_hi",
        "s1_nonzero",
        "st_nonzero",
    ]);
    let flag = |b: Option<bool>| b.map(|x| x.to_string()).unwrap_or_default();
    let mut rows: Vec<Vec<String>> = sa
        .indices
        .iter()
        .map(|x| {
            vec![
                x.target.name().to_string(),
                x.institution.clone().unwrap_or_default(),
                x.factor.clone(),
                num(x.s1, decimals),
                opt(x.s1_lo, decimals),
                opt(x.s1_hi, decimals),
                num(x.st, decimals),
                opt(x.st_lo, decimals),
                opt(x.st_hi, decimals),
                flag(x.s1_nonzero),
                flag(x.st_nonzero),
            ]
        })
        .collect();
    for c in &sa.constant {
        let mut row = vec![c.target.name().to_string(), c.institution.clone().unwrap_or_default()];
        row.extend(std::iter::repeat_n(String::new(), header.len() - 2));
        rows.push(row);
    }
    (header, rows)
}

/// Convergence: `target, factor, n, s1, s1_width, st, st_width`.
pub fn convergence_table(sa: &Sensitivity, decimals: Option<u8>) -> (Vec<String>, Vec<Vec<String>>) {
    let header = strings(&["target", "factor", "n", "s1", "s1_width", "st", "st_width"]);
    let rows = sa
        .convergence
        .iter()
        .map(|c| {
            vec![
                c.target.name().to_string(),
                c.factor.clone(),
                c.n.to_string(),
                num(c.s1, decimals),
                num(c.s1_width, decimals),
                num(c.st, decimals),
                num(c.st_width, decimals),
            ]
        })
        .collect();
    (header, rows)
}

/// One row per run of a sensitivity design: `run, block, row`, each factor's value,
/// `rank_shift, national`.
pub fn sensitivity_runs_table(sa: &Sensitivity) -> (Vec<String>, Vec<Vec<String>>) {
    let mut header = strings(&["run", "block", "row"]);
    header.extend(sa.factors.iter().map(|f| f.name.clone()));
    header.extend(strings(&["rank_shift", "national"]));
    let rows = sa
        .runs
        .iter()
        .map(|r| {
            let mut row = vec![r.run.to_string(), r.block.clone(), r.row.to_string()];
            row.extend(sa.factors.iter().zip(&r.values).map(|(f, &v)| factor_value(f, v, None)));
            row.push(format!("{}", r.rank_shift));
            row.push(format!("{}", r.national));
            row
        })
        .collect();
    (header, rows)
}
