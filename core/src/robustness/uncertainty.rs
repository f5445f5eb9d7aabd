//! Uncertainty analysis: N runs of a design, and the interval every score and rank moves in.
//!
//! Per institution: the nominal score and rank, and over the runs the median, mean, 5th and
//! 95th percentiles of rank and score (`numpy.quantile`'s linear method) and the share of
//! runs in the top K. Per group (`by`): the same for group means and their ranks. Overall:
//! per run, the mean absolute rank shift against nominal
//! `R_S = (1/M) sum |rank - nominal rank|` and Spearman's rho against nominal, and their
//! distributions. Ranks are competition ranks, as in scoring.

use serde::{Deserialize, Serialize};

use crate::analysis::GroupBy;
use crate::error::Error;
use crate::input::Dataset;
use crate::robustness::design::{Design, Sampler};
use crate::robustness::engine::{option_error, Engine, Evidence, Progress};
use crate::robustness::factors::{Factor, FactorSpec};
use crate::robustness::stats::{mean, quantile};
use crate::scoring::ranking::{rank_desc, RankScratch};
use crate::scoring::Plan;

/// Options of an uncertainty analysis.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct UncertaintyOptions {
    /// Number of runs (ignored when a design is given: its rows are the runs).
    pub n: usize,
    /// Seed of the design.
    pub seed: u64,
    /// Where the uniforms come from.
    pub sampler: Sampler,
    /// K of the top-K share.
    pub top: usize,
    /// Group institutions (`jurisdiction`, `level`, `type` or a metadata column).
    pub by: Option<String>,
    /// Worker threads (`None`: all cores, with the `parallel` feature).
    pub threads: Option<usize>,
    /// Keep every run's per-institution scores and ranks in the result.
    pub keep_outputs: bool,
}

impl Default for UncertaintyOptions {
    fn default() -> Self {
        UncertaintyOptions {
            n: 1000,
            seed: 1,
            sampler: Sampler::Sobol,
            top: 10,
            by: None,
            threads: None,
            keep_outputs: false,
        }
    }
}

/// Summary of a quantity over the runs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Distribution {
    /// Mean.
    pub mean: f64,
    /// Median.
    pub median: f64,
    /// 5th percentile.
    pub q05: f64,
    /// 95th percentile.
    pub q95: f64,
    /// Smallest value.
    pub min: f64,
    /// Largest value.
    pub max: f64,
}

impl Distribution {
    /// Of these values (reordered); `None` for none.
    pub fn of(values: &mut [f64]) -> Option<Distribution> {
        if values.is_empty() {
            return None;
        }
        Some(Distribution {
            mean: mean(values),
            median: quantile(values, 0.5),
            q05: quantile(values, 0.05),
            q95: quantile(values, 0.95),
            min: values.iter().copied().fold(f64::INFINITY, f64::min),
            max: values.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        })
    }
}

/// One institution's intervals.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InstitutionInterval {
    /// Institution id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Nominal index score (recomputed from the lowest nodes given).
    pub score: f64,
    /// Nominal rank.
    pub rank: u32,
    /// Median rank over the runs.
    pub rank_median: f64,
    /// Mean rank.
    pub rank_mean: f64,
    /// 5th percentile of the rank.
    pub rank_q05: f64,
    /// 95th percentile of the rank.
    pub rank_q95: f64,
    /// Median score.
    pub score_median: f64,
    /// Mean score.
    pub score_mean: f64,
    /// 5th percentile of the score.
    pub score_q05: f64,
    /// 95th percentile of the score.
    pub score_q95: f64,
    /// Share of runs with rank <= K.
    pub p_top: f64,
}

/// One group's intervals (group means of the index and their ranks among groups).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupInterval {
    /// Group label.
    pub group: String,
    /// Institutions in the group.
    pub n: usize,
    /// Nominal group mean.
    pub mean: f64,
    /// Nominal rank among groups.
    pub rank: u32,
    /// Median of the group mean over the runs.
    pub mean_median: f64,
    /// 5th percentile of the group mean.
    pub mean_q05: f64,
    /// 95th percentile of the group mean.
    pub mean_q95: f64,
    /// Median rank.
    pub rank_median: f64,
    /// 5th percentile of the rank.
    pub rank_q05: f64,
    /// 95th percentile of the rank.
    pub rank_q95: f64,
}

/// One run: its factor values and summary statistics.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunRecord {
    /// Run number (0-based, the design's row).
    pub run: usize,
    /// Resolved value of each factor, in factor order: the weight after renormalisation
    /// (`w:`), the uniform (`dir:`), the alternative's index (discrete factors), the shift
    /// (`x:`).
    pub values: Vec<f64>,
    /// Mean absolute rank shift against nominal.
    pub rank_shift: f64,
    /// Spearman's rho against nominal (`None` when either ranking is all ties).
    pub spearman: Option<f64>,
    /// National mean of the index.
    pub national: f64,
}

/// The result of an uncertainty analysis.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Uncertainty {
    /// Edition id.
    pub edition: String,
    /// The factors, in design column order.
    pub factors: Vec<Factor>,
    /// Policies in force that change what a run computes (stated so results can be read).
    pub policies: Vec<String>,
    /// How runs were evaluated: `columns` or `rows`.
    pub evaluation: String,
    /// The design (exportable with [`Design::to_csv`]).
    pub design: Design,
    /// K of `p_top`.
    pub top: usize,
    /// Nominal national mean.
    pub national: f64,
    /// One row per institution, input order.
    pub institutions: Vec<InstitutionInterval>,
    /// One row per group (empty without `by`).
    pub groups: Vec<GroupInterval>,
    /// One record per run.
    pub runs: Vec<RunRecord>,
    /// Distribution of `R_S` over the runs.
    pub rank_shift: Distribution,
    /// Distribution of Spearman's rho over the runs where it is defined.
    pub spearman: Option<Distribution>,
    /// Distribution of the national mean.
    pub national_runs: Distribution,
    /// Every run's per-institution outputs, if kept.
    pub outputs: Option<crate::robustness::SaOutputs>,
}

/// Runs an uncertainty analysis of `data` under `plan`, varying `spec`.
///
/// `design`: a design CSV to rerun (its columns must be the factors'); otherwise one is
/// generated from `options`. `progress` is called between chunks of runs and may stop it.
///
/// ```
/// use apertura::robustness::{uncertainty, Evidence, FactorSpec, UncertaintyOptions};
/// use apertura::{io, Edition, Options, Plan};
/// let e = Edition::load("mga-2017")?;
/// let plan = Plan::new(&e, &Options::default())?;
/// let csv = "id,tg,tc,pg,pc\na,0.4,0.6,0.2,0.2\nb,0.9,0.1,0.5,0.5\nc,0.5,0.5,0.5,0.5\n";
/// let data = io::read_csv(csv.as_bytes(), &e, "x.csv")?;
/// let spec = FactorSpec { weight_noise: Some(0.25), ..Default::default() };
/// let opts = UncertaintyOptions { n: 64, ..Default::default() };
/// let ua = uncertainty(&plan, &data, &Evidence::default(), &spec, &opts, None, &mut |_, _| true)?;
/// assert_eq!(ua.institutions.len(), 3);
/// assert!(ua.institutions[2].score_q05 <= 0.5 + 1e-12 && ua.institutions[2].score_q95 >= 0.5 - 1e-12);
/// # Ok::<(), apertura::Error>(())
/// ```
pub fn uncertainty(
    plan: &Plan,
    data: &Dataset,
    evidence: &Evidence,
    spec: &FactorSpec,
    options: &UncertaintyOptions,
    design: Option<&str>,
    progress: Progress<'_>,
) -> Result<Uncertainty, Error> {
    if options.top == 0 {
        return Err(option_error("top K must be at least 1"));
    }
    let by = options.by.as_deref().map(GroupBy::parse);
    let engine = Engine::new(plan, data, evidence, spec, by.as_ref())?;
    let names = engine.factor_names();
    let design = match design {
        #[cfg(feature = "csv")]
        Some(text) => Design::from_csv(text, &names, "design")?,
        #[cfg(not(feature = "csv"))]
        Some(_) => {
            return Err(option_error(
                "a design given as CSV text needs apertura's `csv` feature",
            ))
        }
        None => {
            if options.n == 0 {
                return Err(option_error("n must be at least 1"));
            }
            Design::generate(&names, options.n, options.seed, options.sampler)?
        }
    };
    let runs = design.n;
    let out = engine.run_all(
        runs,
        &|r, u| u.copy_from_slice(design.row(r)),
        options.threads,
        progress,
    )?;
    let mut ua = summarise(&engine, plan, design, options.top, &out);
    if options.keep_outputs {
        ua.outputs = Some(out.run_major(engine.m));
    }
    Ok(ua)
}

/// Mean and the (median, 5th, 95th) percentiles of integer ranks in 1..=m, from their
/// histogram: the same order statistics, and so the same numbers, as [`quantile`] on the
/// values, in O(runs + m). The mean is exact (integer sums).
fn rank_stats(ranks: &[u32], m: usize, counts: &mut Vec<u32>) -> (f64, [f64; 3]) {
    let n = ranks.len();
    counts.clear();
    counts.resize(m + 2, 0);
    let x0 = ranks[0] as f64;
    let mut dev = 0.0;
    for &r in ranks {
        counts[r as usize] += 1;
        dev += r as f64 - x0;
    }
    let mean = x0 + dev / n as f64;
    // The order statistic at sorted position k (0-based).
    let mut want: Vec<(usize, usize)> = Vec::with_capacity(6);
    let qs = [0.5, 0.05, 0.95];
    let mut h = [0.0; 3];
    for (k, &q) in qs.iter().enumerate() {
        h[k] = q * (n as f64 - 1.0);
        let lo = (h[k].floor() as usize).min(n - 1);
        want.push((lo, 2 * k));
        want.push(((lo + 1).min(n - 1), 2 * k + 1));
    }
    want.sort_unstable();
    let mut got = [0.0f64; 6];
    let (mut seen, mut value, mut w) = (0usize, 0usize, 0usize);
    while w < want.len() {
        while seen + (counts[value] as usize) <= want[w].0 {
            seen += counts[value] as usize;
            value += 1;
        }
        got[want[w].1] = value as f64;
        w += 1;
    }
    let mut out = [0.0; 3];
    for k in 0..3 {
        let lo = (h[k].floor() as usize).min(n - 1);
        out[k] = crate::robustness::stats::lerp(got[2 * k], got[2 * k + 1], h[k] - lo as f64);
    }
    (mean, out)
}

fn summarise(
    engine: &Engine,
    plan: &Plan,
    design: Design,
    top: usize,
    out: &crate::robustness::engine::RunOutputs,
) -> Uncertainty {
    let m = engine.m;
    let runs = design.n;
    let d = engine.factors.len();
    let per_institution = |i: usize, buf: &mut Vec<f64>, counts: &mut Vec<u32>| -> InstitutionInterval {
        let ranks = &out.ranks[i * runs..(i + 1) * runs];
        let (rank_mean, rank_q) = rank_stats(ranks, m, counts);
        let [rank_median, rank_q05, rank_q95] = rank_q;
        let p_top = ranks.iter().filter(|&&r| r as usize <= top).count() as f64 / runs as f64;
        buf.clear();
        buf.extend_from_slice(&out.scores[i * runs..(i + 1) * runs]);
        let score_mean = mean(buf);
        let score_median = quantile(buf, 0.5);
        let score_q05 = quantile(buf, 0.05);
        let score_q95 = quantile(buf, 0.95);
        let inst = &engine.institutions[i];
        InstitutionInterval {
            id: inst.id.clone(),
            name: inst.name.clone(),
            score: engine.nominal.score[i],
            rank: engine.nominal.rank[i],
            rank_median,
            rank_mean,
            rank_q05,
            rank_q95,
            score_median,
            score_mean,
            score_q05,
            score_q95,
            p_top,
        }
    };
    #[cfg(feature = "parallel")]
    let institutions: Vec<InstitutionInterval> = {
        use rayon::prelude::*;
        (0..m)
            .into_par_iter()
            .map_init(
                || (Vec::with_capacity(runs), Vec::new()),
                |(buf, c), i| per_institution(i, buf, c),
            )
            .collect()
    };
    #[cfg(not(feature = "parallel"))]
    let institutions: Vec<InstitutionInterval> = {
        let (mut buf, mut c) = (Vec::with_capacity(runs), Vec::new());
        (0..m).map(|i| per_institution(i, &mut buf, &mut c)).collect()
    };
    // Groups.
    let mut groups = Vec::new();
    if let Some(g) = &engine.groups {
        let k = g.labels.len();
        let mut scratch = RankScratch::default();
        let mut nominal_rank = vec![0u32; k];
        rank_desc(k, |x| engine.nominal.group_means[x], &mut nominal_rank, &mut scratch);
        let mut ranks = vec![0u32; runs * k];
        for r in 0..runs {
            let means = &out.group_means[r * k..(r + 1) * k];
            rank_desc(k, |x| means[x], &mut ranks[r * k..(r + 1) * k], &mut scratch);
        }
        let mut buf = Vec::with_capacity(runs);
        for x in 0..k {
            buf.clear();
            buf.extend((0..runs).map(|r| out.group_means[r * k + x]));
            let (mean_median, mean_q05, mean_q95) = (
                quantile(&mut buf, 0.5),
                quantile(&mut buf, 0.05),
                quantile(&mut buf, 0.95),
            );
            buf.clear();
            buf.extend((0..runs).map(|r| ranks[r * k + x] as f64));
            groups.push(GroupInterval {
                group: g.labels[x].clone(),
                n: g.sizes[x] as usize,
                mean: engine.nominal.group_means[x],
                rank: nominal_rank[x],
                mean_median,
                mean_q05,
                mean_q95,
                rank_median: quantile(&mut buf, 0.5),
                rank_q05: quantile(&mut buf, 0.05),
                rank_q95: quantile(&mut buf, 0.95),
            });
        }
    }
    let records: Vec<RunRecord> = (0..runs)
        .map(|r| RunRecord {
            run: r,
            values: out.values[r * d..(r + 1) * d].to_vec(),
            rank_shift: out.stats[r].rank_shift,
            spearman: out.stats[r].spearman,
            national: out.stats[r].national,
        })
        .collect();
    let mut rs: Vec<f64> = records.iter().map(|x| x.rank_shift).collect();
    let mut rho: Vec<f64> = records.iter().filter_map(|x| x.spearman).collect();
    let mut nat: Vec<f64> = records.iter().map(|x| x.national).collect();
    Uncertainty {
        edition: plan.edition().id().to_string(),
        factors: engine.factors.clone(),
        policies: engine.policies.clone(),
        evaluation: engine.evaluation.to_string(),
        design,
        top,
        national: engine.nominal.national,
        institutions,
        groups,
        runs: records,
        rank_shift: Distribution::of(&mut rs).unwrap_or_default(),
        spearman: Distribution::of(&mut rho),
        national_runs: Distribution::of(&mut nat).unwrap_or_default(),
        outputs: None,
    }
}
