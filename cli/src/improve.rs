//! `apertura improve`: the exact cheapest path of one institution (or of each) to a
//! target score, rank, national mean or quadrant, and the cost-score frontier.

use apertura::analysis::improve::{self, ImproveOptions, Target};
use apertura::{io, Error, Quadrant};

use crate::{emit, prepare, read_text, Common, Format, OUT};

/// The arguments of `apertura improve`.
#[derive(clap::Args)]
pub struct ImproveArgs {
    #[command(flatten)]
    pub common: Common,
    /// Institution id (not with --all).
    #[arg(long)]
    pub institution: Option<String>,
    /// Target score of the target node, or `mean` for the national mean now.
    #[arg(long, value_name = "X|mean", group = "target")]
    pub target_score: Option<String>,
    /// Target rank: the score of the institution now ranked R (a tie counts as reached).
    #[arg(long, value_name = "R", group = "target")]
    pub target_rank: Option<u32>,
    /// Target T x P quadrant: I, II, III or IV (an axis that must stay low is frozen).
    #[arg(long, value_name = "Q", group = "target")]
    pub target_quadrant: Option<String>,
    /// Node whose score or rank is targeted (default: the index).
    #[arg(long, value_name = "NODE")]
    pub target_node: Option<String>,
    /// One step as a share of a node's range: a decimal or a fraction such as 1/3.
    #[arg(long, default_value = "1/3")]
    pub step: String,
    /// Costs per step: CSV `node,cost_per_step` (default 1 each; `inf` freezes a node; a
    /// cost on an aggregate applies to every node under it).
    #[arg(long, value_name = "FILE")]
    pub costs: Option<std::path::PathBuf>,
    /// The Pareto front of cost against the target node's score instead of one path.
    #[arg(long, conflicts_with = "all")]
    pub frontier: bool,
    /// One row per institution: the minimum cost to reach the target, or why not.
    #[arg(long)]
    pub all: bool,
}

fn quadrant(text: &str) -> Result<Quadrant, Error> {
    match text.trim().to_ascii_uppercase().as_str() {
        "I" | "1" => Ok(Quadrant::I),
        "II" | "2" => Ok(Quadrant::II),
        "III" | "3" => Ok(Quadrant::III),
        "IV" | "4" => Ok(Quadrant::IV),
        _ => Err(Error::Usage {
            code: "invalid_target",
            message: format!("quadrant {text:?}: write I, II, III or IV"),
        }),
    }
}

fn options(a: &ImproveArgs) -> Result<ImproveOptions, Error> {
    let target = match (&a.target_score, a.target_rank, &a.target_quadrant) {
        (Some(s), None, None) if s.trim().eq_ignore_ascii_case("mean") => Target::Mean,
        (Some(s), None, None) => Target::Score(s.trim().parse().map_err(|_| Error::Usage {
            code: "invalid_target",
            message: format!("--target-score {s:?}: write a number or `mean`"),
        })?),
        (None, Some(r), None) => Target::Rank(r),
        (None, None, Some(q)) => Target::Quadrant(quadrant(q)?),
        _ => {
            return Err(Error::Usage {
                code: "invalid_target",
                message: "give one of --target-score, --target-rank or --target-quadrant".into(),
            })
        }
    };
    let mut o = ImproveOptions::new(target);
    o.node = a.target_node.clone();
    o.step = improve::parse_step(&a.step)?;
    if let Some(path) = &a.costs {
        let name = path.display().to_string();
        o.costs = improve::read_costs(&read_text(path)?, Some(&name))?;
        o.costs_source = Some(name);
    }
    Ok(o)
}

/// Runs the command; the text to print.
pub fn run(a: &ImproveArgs) -> Result<(), Error> {
    let o = options(a)?;
    let (_, plan, data) = prepare(&a.common)?;
    let decimals = (a.common.format == Format::Table).then_some(plan.settings().display_decimals + 2);
    if a.all {
        if a.institution.is_some() {
            return Err(Error::Usage {
                code: "invalid_option",
                message: "--all scores every institution: drop --institution".into(),
            });
        }
        let rows = improve::improve_all(&plan, &data, &o)?;
        let (h, r) = io::improvements_table(&rows, decimals);
        if a.common.format == Format::Table {
            let feasible = rows.iter().filter(|r| r.feasible).count();
            let there = rows.iter().filter(|r| r.feasible && r.cost == 0.0).count();
            outln!(
                "target {} on {}: {} institutions, {there} already there, {} reachable, {} not",
                o.target,
                rows.first().map(|r| r.target_node.as_str()).unwrap_or(""),
                rows.len(),
                feasible - there,
                rows.len() - feasible
            );
        }
        let keep = [
            "id",
            "feasible",
            "cost",
            "required",
            "score_before",
            "score_after",
            "rank_before",
            "rank_after",
            "steps",
            "reason",
        ];
        emit(
            a.common.format,
            h,
            r,
            serde_json::to_value(&rows).expect("JSON"),
            Some(&keep),
        );
        return Ok(());
    }
    let Some(id) = &a.institution else {
        return Err(Error::Usage {
            code: "invalid_option",
            message: "give --institution ID (or --all)".into(),
        });
    };
    if a.frontier {
        let points = improve::frontier(&plan, &data, id, &o)?;
        let (h, r) = io::frontier_table(&points, decimals);
        if a.common.format == Format::Table {
            outln!(
                "{id}: {} points from doing nothing to the highest score reachable",
                points.len()
            );
        }
        emit(
            a.common.format,
            h,
            r,
            serde_json::to_value(&points).expect("JSON"),
            None,
        );
        return Ok(());
    }
    let x = improve::improve(&plan, &data, id, &o)?;
    if a.common.format == Format::Table {
        let d = decimals.unwrap_or(4);
        let f = |v: f64| io::round_half_up(v, d);
        let q = |q: Option<Quadrant>| q.map(|q| q.as_str()).unwrap_or("-");
        outln!(
            "{} ({}): {} on {} (needs {})",
            x.institution,
            x.name,
            x.target,
            x.target_node,
            f(x.required)
        );
        outln!(
            "cost {}: {} {} -> {}, rank {} -> {}, quadrant {} -> {}",
            f(x.cost),
            x.target_node,
            f(x.score_before),
            f(x.score_after),
            x.rank_before,
            x.rank_after,
            q(x.quadrant_before),
            q(x.quadrant_after)
        );
        if x.actions.is_empty() {
            outln!("already there: no step needed");
            return Ok(());
        }
    }
    let (h, r) = io::actions_table(&x.actions, decimals);
    emit(a.common.format, h, r, serde_json::to_value(&x).expect("JSON"), None);
    Ok(())
}
