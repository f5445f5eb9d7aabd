//! `apertura compare OLD NEW`: two files (two years, or two editions) matched by id or
//! through a crosswalk; every node's old and new value and change, rank and quadrant
//! transitions, the same by group, and the data and method effects when the editions
//! differ.

use std::path::PathBuf;

use apertura::analysis::compare::{compare, CompareOptions, RankIntervals};
use apertura::robustness::{self, Evidence, FactorSpec, UncertaintyOptions};
use apertura::{io, Comparison, Error, GroupBy, Plan};

use super::{Common, Format, OUT};

/// The arguments of `apertura compare`.
#[derive(clap::Args)]
pub(crate) struct CompareArgs {
    /// The old file (CSV or JSON, wide or long).
    old: PathBuf,
    /// The new file.
    new: PathBuf,
    /// Edition of both files (id or edition file). Default: mga-2017.
    #[arg(long, conflicts_with_all = ["old_edition", "new_edition"])]
    edition: Option<String>,
    /// Edition of the old file (default: mga-2017).
    #[arg(long)]
    old_edition: Option<String>,
    /// Edition of the new file (default: the old file's).
    #[arg(long)]
    new_edition: Option<String>,
    /// Crosswalk CSV `old_id,new_id` for renamed, merged and split institutions.
    #[arg(long, value_name = "FILE")]
    crosswalk: Option<PathBuf>,
    /// Compare group means: jurisdiction, level, type, or any metadata column.
    #[arg(long)]
    by: Option<String>,
    /// Gating rules of both runs: error or apply.
    #[arg(long)]
    gates: Option<String>,
    /// Any other setting of both runs, as KEY=VALUE. Repeatable.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    set: Vec<String>,
    /// Flag significant rank changes: run an uncertainty analysis of N runs on each side
    /// (weight noise, seeded) and mark changes outside both runs' 5-95 % rank intervals.
    #[arg(long, value_name = "N")]
    uncertainty: Option<usize>,
    /// Relative weight noise of those uncertainty analyses.
    #[arg(long, value_name = "P", default_value_t = 0.25)]
    uncertainty_weight_noise: f64,
    /// Seed of the uncertainty designs.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Movers shown each way by the table format.
    #[arg(long, default_value_t = 10)]
    movers: usize,
    /// Write the backcast (the old data scored under the new method) to this CSV file.
    #[arg(long, value_name = "FILE")]
    backcast: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

fn side(a: &CompareArgs, file: &std::path::Path, edition: &str) -> Common {
    Common {
        file: Some(file.to_path_buf()),
        edition: edition.to_string(),
        gates: a.gates.clone(),
        set: a.set.clone(),
        weight: Vec::new(),
        requests: None,
        proposals: None,
        filters: Vec::new(),
        format: a.format,
    }
}

fn intervals(
    plan: &Plan,
    data: &apertura::Dataset,
    a: &CompareArgs,
    n: usize,
    what: &str,
) -> Result<Vec<apertura::analysis::compare::RankInterval>, Error> {
    let spec = FactorSpec {
        weight_noise: Some(a.uncertainty_weight_noise),
        ..Default::default()
    };
    let options = UncertaintyOptions {
        n,
        seed: a.seed,
        ..Default::default()
    };
    let ua = super::with_progress(what, |progress| {
        robustness::uncertainty(plan, data, &Evidence::default(), &spec, &options, None, progress)
    })?;
    Ok(io::rank_intervals(&ua))
}

/// Runs the command, printing through the output buffer.
pub(crate) fn run(a: &CompareArgs) -> Result<(), Error> {
    let old_edition = a
        .edition
        .clone()
        .or_else(|| a.old_edition.clone())
        .unwrap_or_else(|| "mga-2017".into());
    let new_edition = a
        .edition
        .clone()
        .or_else(|| a.new_edition.clone())
        .unwrap_or_else(|| old_edition.clone());
    let (_, old_plan, old_data) = super::prepare(&side(a, &a.old, &old_edition))?;
    let (new_ed, new_plan, new_data) = super::prepare(&side(a, &a.new, &new_edition))?;
    let crosswalk = match &a.crosswalk {
        Some(p) => Some(io::read_crosswalk(&super::read_file(p)?, &p.display().to_string())?),
        None => None,
    };
    let intervals = match a.uncertainty {
        Some(n) => Some(RankIntervals {
            old: intervals(&old_plan, &old_data, a, n, "uncertainty (old)")?,
            new: intervals(&new_plan, &new_data, a, n, "uncertainty (new)")?,
        }),
        None => None,
    };
    let options = CompareOptions {
        crosswalk,
        by: a.by.as_deref().map(GroupBy::parse),
        intervals,
    };
    let cmp = compare(&old_plan, &old_data, &new_plan, &new_data, &options)?;
    if let (Some(path), Some(back)) = (&a.backcast, &cmp.backcast) {
        let (h, r) = io::score_table(&new_ed, back, None);
        super::write_text(path, &io::to_csv(&h, &r))?;
    } else if let Some(path) = &a.backcast {
        return Err(Error::Usage {
            code: "no_backcast",
            message: format!(
                "--backcast {}: there is no backcast ({})",
                path.display(),
                cmp.notes.first().map(String::as_str).unwrap_or("no effects")
            ),
        });
    }
    match a.format {
        Format::Json => outln!(
            "{}",
            serde_json::to_string_pretty(&io::compare_to_json(&cmp)).expect("JSON")
        ),
        Format::Csv => {
            let (h, r) = if options.by.is_some() {
                io::compare_groups_table(&cmp, None, None)
            } else {
                io::compare_table(&cmp, None)
            };
            out!("{}", io::to_csv(&h, &r));
        }
        Format::Table => table(a, &cmp, &new_plan),
    }
    for n in &cmp.notes {
        eprintln!("note: {n}");
    }
    Ok(())
}

/// The nodes the group table shows: the root and its children (`iga, t, p` for the MGA;
/// at most four), among those compared.
fn shown_nodes(cmp: &Comparison, plan: &Plan) -> Vec<String> {
    let rows = plan.edition().tree_rows();
    let wanted: Vec<&str> = rows.iter().filter(|r| r.depth <= 1).map(|r| r.id.as_str()).collect();
    let mut out: Vec<String> = cmp
        .nodes
        .iter()
        .filter(|n| wanted.contains(&n.as_str()))
        .cloned()
        .collect();
    out.truncate(4);
    out
}

fn table(a: &CompareArgs, cmp: &Comparison, plan: &Plan) {
    let d = plan.settings().display_decimals + 1;
    let c = &cmp.counts;
    outln!(
        "{} ({}) -> {} ({}): {} matched (both {}, merged {}, split {}), old only {}, new only {}",
        a.old.display(),
        cmp.old_edition,
        a.new.display(),
        cmp.new_edition,
        c.both + c.merged + c.split,
        c.both,
        c.merged,
        c.split,
        c.old_only,
        c.new_only
    );
    let root = cmp.nodes.first().cloned();
    let (header, rows) = io::compare_table(cmp, Some(d));
    // Files without an id column use the name as id: show it once.
    let names = cmp.institutions.iter().any(|r| r.id != r.name);
    let mut cols: Vec<String> = ["id", "name", "status", "rank_old", "rank_new", "rank_delta"]
        .iter()
        .filter(|c| names || **c != "name")
        .map(|s| s.to_string())
        .collect();
    if cmp.institutions.iter().any(|r| r.significant.is_some()) {
        cols.push("significant".into());
    }
    if let Some(root) = &root {
        cols.extend([format!("{root}_old"), format!("{root}_new"), format!("{root}_delta")]);
        if cmp.effects {
            cols.extend([format!("{root}_data_effect"), format!("{root}_method_effect")]);
        }
    }
    let keep: Vec<usize> = cols.iter().filter_map(|c| header.iter().position(|h| h == c)).collect();
    let pick = |idx: &[usize]| -> Vec<Vec<String>> {
        idx.iter()
            .map(|&i| keep.iter().map(|&k| rows[i][k].clone()).collect())
            .collect()
    };
    let h: Vec<String> = keep.iter().map(|&k| header[k].clone()).collect();
    let (gains, losses) = io::movers(cmp, a.movers);
    outln!("\nlargest rank gains (rank_delta = rank_new - rank_old):");
    if gains.is_empty() {
        outln!("  none");
    } else {
        super::print_table(&h, &pick(&gains), 40);
    }
    outln!("\nlargest rank losses:");
    if losses.is_empty() {
        outln!("  none");
    } else {
        super::print_table(&h, &pick(&losses), 40);
    }
    outln!(
        "\nquadrant transitions (rows old, columns new; {} matched institutions changed quadrant):",
        io::quadrant_changes(cmp)
    );
    let (th, tr) = io::transition_table(cmp);
    super::print_table(&th, &tr, 20);
    outln!("\nby status:");
    let status: Vec<Vec<String>> = [
        ("both", c.both),
        ("merged", c.merged),
        ("split", c.split),
        ("old_only", c.old_only),
        ("new_only", c.new_only),
    ]
    .iter()
    .map(|(s, n)| vec![s.to_string(), n.to_string()])
    .collect();
    super::print_table(&["status".to_string(), "n".to_string()], &status, 20);
    if cmp.by.is_some() {
        let shown = shown_nodes(cmp, plan);
        let names: Vec<&str> = shown.iter().map(String::as_str).collect();
        let (gh, gr) = io::compare_groups_table(cmp, Some(d), Some(&names));
        outln!("\nby group (means over matched institutions):");
        super::print_table(&gh, &gr, 40);
        if cmp.ungrouped > 0 {
            outln!(
                "{} matched institutions have no group: counted only in national",
                cmp.ungrouped
            );
        }
    }
    if cmp.effects {
        outln!(
            "\ndelta = data effect (new method, old vs new data) + method effect (old data, old vs new method), exactly; --backcast FILE writes the old data scored under the new method"
        );
    }
    outln!("(table values rounded half up to {d} decimals; csv/json give full precision, every node and every institution)");
}
