//! Sensitivity analysis: Sobol' first-order and total indices of every score and rank.
//!
//! The design is Saltelli's: matrices A and B (N x d) and, for each factor i, A with column
//! i from B, `A_B^(i)`: N (d + 2) runs. The estimators are those of
//! `scipy.stats.sobol_indices`: the outputs are first centred by the mean of
//! `[f(A); f(B)]` (the first-order estimator is not shift-invariant), then with
//! `V = var([f(A); f(B)])` (population variance)
//! `S1_i = mean(f(B) (f(A_B^i) - f(A))) / V` (Saltelli 2010) and
//! `ST_i = mean((f(A) - f(A_B^i))^2) / (2 V)` (Jansen 1999).
//!
//! Targets, all from one set of runs: `R_S` (mean absolute rank shift), the national mean,
//! and every institution's score and rank. Bootstrap intervals resample the rows of A, B
//! and every `A_B^(i)` jointly (the same rows for every target), re-estimate the variance,
//! and take percentile intervals. An index whose interval contains 0 is marked as not
//! distinguishable from 0; a target whose variance is 0 has no indices (it is listed as
//! constant, never given a NaN).

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::input::Dataset;
use crate::robustness::design::{SaDesign, Sampler};
use crate::robustness::engine::{option_error, Engine, Evidence, Progress, RunOutputs, Workers};
use crate::robustness::factors::{Factor, FactorSpec};
use crate::robustness::stats::quantile;
use crate::scoring::Plan;
use crate::synthetic::SplitMix64;

/// What a sensitivity index is of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    /// `R_S`, the mean absolute rank shift against nominal.
    RankShift,
    /// Each institution's index score.
    Score,
    /// Each institution's rank.
    Rank,
    /// The national mean of the index.
    National,
}

impl Target {
    /// The name in files (`rank_shift`, `score`, `rank`, `national`).
    pub fn name(self) -> &'static str {
        match self {
            Target::RankShift => "rank_shift",
            Target::Score => "score",
            Target::Rank => "rank",
            Target::National => "national",
        }
    }
    /// Parses a name, or `all` for every target.
    pub fn parse_list(text: &str) -> Option<Vec<Target>> {
        let mut out = Vec::new();
        for part in text.split(',') {
            match part.trim().to_ascii_lowercase().as_str() {
                "all" => return Some(vec![Target::RankShift, Target::National, Target::Score, Target::Rank]),
                "rank_shift" | "rs" => out.push(Target::RankShift),
                "score" | "scores" => out.push(Target::Score),
                "rank" | "ranks" => out.push(Target::Rank),
                "national" => out.push(Target::National),
                _ => return None,
            }
        }
        (!out.is_empty()).then_some(out)
    }
}

/// Options of a sensitivity analysis.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SensitivityOptions {
    /// Rows of A and B (a power of two; ignored when a design is given).
    pub n: usize,
    /// Seed of the design and of the bootstrap.
    pub seed: u64,
    /// Where the uniforms come from.
    pub sampler: Sampler,
    /// Bootstrap resamples (0: no intervals).
    pub bootstrap: usize,
    /// Level of the percentile intervals.
    pub confidence: f64,
    /// The targets (default: all).
    pub targets: Vec<Target>,
    /// Worker threads (`None`: all cores, with the `parallel` feature).
    pub threads: Option<usize>,
    /// Keep every run's per-institution scores and ranks in the result.
    pub keep_outputs: bool,
}

impl Default for SensitivityOptions {
    fn default() -> Self {
        SensitivityOptions {
            n: 1024,
            seed: 1,
            sampler: Sampler::Sobol,
            bootstrap: 100,
            confidence: 0.95,
            targets: vec![Target::RankShift, Target::National, Target::Score, Target::Rank],
            threads: None,
            keep_outputs: false,
        }
    }
}

/// First-order and total indices of one factor for one target.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SobolIndex {
    /// The target.
    pub target: Target,
    /// The institution (score and rank targets).
    pub institution: Option<String>,
    /// The factor.
    pub factor: String,
    /// First-order index.
    pub s1: f64,
    /// Lower end of its interval (with a bootstrap).
    pub s1_lo: Option<f64>,
    /// Upper end of its interval.
    pub s1_hi: Option<f64>,
    /// Total index.
    pub st: f64,
    /// Lower end of its interval.
    pub st_lo: Option<f64>,
    /// Upper end of its interval.
    pub st_hi: Option<f64>,
    /// Whether the S1 interval excludes 0 (`None` without a bootstrap).
    pub s1_nonzero: Option<bool>,
    /// Whether the ST interval excludes 0.
    pub st_nonzero: Option<bool>,
}

/// A target without indices: its variance over the runs is 0.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConstantTarget {
    /// The target.
    pub target: Target,
    /// The institution (score and rank targets).
    pub institution: Option<String>,
    /// Its value in every run.
    pub value: f64,
}

/// Interval widths of the scalar targets' indices with the first `n` rows of the design.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Convergence {
    /// The target (`rank_shift` or `national`).
    pub target: Target,
    /// The factor.
    pub factor: String,
    /// Rows of A and B used.
    pub n: usize,
    /// First-order index.
    pub s1: f64,
    /// Width of its interval.
    pub s1_width: f64,
    /// Total index.
    pub st: f64,
    /// Width of its interval.
    pub st_width: f64,
}

/// One run of a sensitivity design.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SaRun {
    /// Run number.
    pub run: usize,
    /// `A`, `B` or `AB:<factor>`.
    pub block: String,
    /// Row within the block.
    pub row: usize,
    /// Resolved value of each factor, in factor order.
    pub values: Vec<f64>,
    /// `R_S` of the run.
    pub rank_shift: f64,
    /// National mean of the run.
    pub national: f64,
}

/// Every run's outputs (with `keep_outputs`): run-major `runs x institutions`, institutions
/// in input order (uncertainty and sensitivity analyses alike).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SaOutputs {
    /// Index scores.
    pub scores: Vec<f64>,
    /// Ranks.
    pub ranks: Vec<u32>,
}

/// The result of a sensitivity analysis.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sensitivity {
    /// Edition id.
    pub edition: String,
    /// The factors, in design column order.
    pub factors: Vec<Factor>,
    /// Policies in force.
    pub policies: Vec<String>,
    /// How runs were evaluated: `columns` or `rows`.
    pub evaluation: String,
    /// The design (exportable with [`SaDesign::to_csv`]).
    pub design: SaDesign,
    /// Bootstrap resamples.
    pub bootstrap: usize,
    /// Interval level.
    pub confidence: f64,
    /// Institution ids, in input order (the columns of [`SaOutputs`]).
    pub institutions: Vec<String>,
    /// The indices, targets in the order asked, institutions in input order, factors in
    /// design order.
    pub indices: Vec<SobolIndex>,
    /// Targets with no variance.
    pub constant: Vec<ConstantTarget>,
    /// Interval width against N for the scalar targets.
    pub convergence: Vec<Convergence>,
    /// Every run, with its factor values and scalar outputs.
    pub runs: Vec<SaRun>,
    /// Every run's per-institution outputs, if kept.
    pub outputs: Option<SaOutputs>,
}

/// An index estimate: (S1, ST, bootstrap interval (S1 lo, S1 hi, ST lo, ST hi)).
type Estimate = (f64, f64, Option<(f64, f64, f64, f64)>);
/// Reusable buffers of one target's bootstrap.
type Buffers = (Vec<f64>, Vec<f64>, Vec<(f64, f64)>, Vec<f64>);
/// Point estimates: (mean, variance, (S1, ST) per factor).
type Point = (f64, f64, Vec<(f64, f64)>);

/// A variance this small (relative to the squared mean) counts as 0.
const CONSTANT: f64 = 1e-20;

/// Runs a sensitivity analysis of `data` under `plan`, varying `spec`.
///
/// `design`: a design CSV (`A:<factor>`, `B:<factor>` columns) to rerun; otherwise one is
/// generated from `options`.
pub fn sensitivity(
    plan: &Plan,
    data: &Dataset,
    evidence: &Evidence,
    spec: &FactorSpec,
    options: &SensitivityOptions,
    design: Option<&str>,
    progress: Progress<'_>,
) -> Result<Sensitivity, Error> {
    if !(options.confidence > 0.0 && options.confidence < 1.0) {
        return Err(option_error(format!(
            "confidence {} must lie strictly between 0 and 1",
            options.confidence
        )));
    }
    if options.targets.is_empty() {
        return Err(option_error("no target: give rank_shift, score, rank, national or all"));
    }
    let engine = Engine::new(plan, data, evidence, spec, None)?;
    let names = engine.factor_names();
    let design = match design {
        #[cfg(feature = "csv")]
        Some(text) => SaDesign::from_csv(text, &names, "design")?,
        #[cfg(not(feature = "csv"))]
        Some(_) => {
            return Err(option_error(
                "a design given as CSV text needs apertura's `csv` feature",
            ))
        }
        None => SaDesign::generate(&names, options.n, options.seed, options.sampler)?,
    };
    // One progress scale for the runs and the estimation: every target counts as a run.
    let targets: usize = options
        .targets
        .iter()
        .map(|t| match t {
            Target::RankShift | Target::National => 1,
            Target::Score | Target::Rank => engine.m,
        })
        .sum();
    let runs = design.runs();
    let out = engine.run_all(runs, &|r, u| design.run_row(r, u), options.threads, &mut |d, _| {
        progress(d, runs + targets)
    })?;
    let workers = Workers::new(options.threads)?;
    estimate(&engine, plan, design, options, out, &workers, progress)
}

/// The row of a centred-and-precomputed series used by the bootstrap: for each row `j`,
/// `[a, b, a^2, b^2, D_1..D_d, b D_1..b D_d, D_1^2..D_d^2]` with `a = f(A)_j - mu`,
/// `b = f(B)_j - mu`, `D_i = f(A_B^i)_j - f(A)_j`.
fn bootstrap_rows(f: &[f64], n: usize, d: usize, mu: f64, rows: &mut Vec<f64>) {
    let w = 4 + 3 * d;
    rows.clear();
    rows.resize(n * w, 0.0);
    for j in 0..n {
        let a = f[j] - mu;
        let b = f[n + j] - mu;
        let r = &mut rows[j * w..(j + 1) * w];
        r[0] = a;
        r[1] = b;
        r[2] = a * a;
        r[3] = b * b;
        for i in 0..d {
            let di = f[(2 + i) * n + j] - f[j];
            r[4 + i] = di;
            r[4 + d + i] = b * di;
            r[4 + 2 * d + i] = di * di;
        }
    }
}

/// Point estimates as `scipy.stats.sobol_indices` computes them; `None` if constant.
fn point(f: &[f64], n: usize, d: usize) -> Option<Point> {
    let both = &f[..2 * n];
    let mu = both.iter().sum::<f64>() / (2 * n) as f64;
    let var = both.iter().map(|x| (x - mu) * (x - mu)).sum::<f64>() / (2 * n) as f64;
    if var <= CONSTANT * mu.abs().max(1.0).powi(2) {
        return None;
    }
    let mut idx = Vec::with_capacity(d);
    for i in 0..d {
        let ab = &f[(2 + i) * n..(3 + i) * n];
        let mut s1 = 0.0;
        let mut st = 0.0;
        for j in 0..n {
            let (a, b, x) = (f[j] - mu, f[n + j] - mu, ab[j] - mu);
            s1 += b * (x - a);
            st += (a - x) * (a - x);
        }
        idx.push((s1 / n as f64 / var, st / n as f64 / var / 2.0));
    }
    Some((mu, var, idx))
}

/// The bootstrap resamples, each as the rows it drew (ascending) with their multiplicity:
/// a loop over them has no unpredictable branch.
struct Resamples {
    n: usize,
    start: Vec<usize>,
    rows: Vec<u32>,
    times: Vec<f64>,
}

impl Resamples {
    /// `boots` resamples of `n` rows, from a seeded generator.
    fn new(n: usize, boots: usize, seed: u64) -> Resamples {
        let mut g = SplitMix64::new(seed ^ 0xB007_57A9_0000_0001);
        let mut counts = vec![0u32; n];
        let mut r = Resamples {
            n,
            start: vec![0],
            rows: Vec::new(),
            times: Vec::new(),
        };
        for _ in 0..boots {
            counts.iter_mut().for_each(|c| *c = 0);
            for _ in 0..n {
                counts[g.below(n as u64) as usize] += 1;
            }
            for (j, &c) in counts.iter().enumerate() {
                if c > 0 {
                    r.rows.push(j as u32);
                    r.times.push(f64::from(c));
                }
            }
            r.start.push(r.rows.len());
        }
        r
    }
    fn len(&self) -> usize {
        self.start.len() - 1
    }
}

/// `acc += sum_j count_j row_j` over the rows resample `b` drew. On x86-64 the loop runs
/// under `pulp`'s runtime dispatch (AVX2 where the CPU has it): the same operations lane by
/// lane, so the same bits as the plain loop.
fn accumulate(acc: &mut [f64], rows: &[f64], resamples: &Resamples, b: usize, w: usize) {
    let (lo, hi) = (resamples.start[b], resamples.start[b + 1]);
    let (drawn, times) = (&resamples.rows[lo..hi], &resamples.times[lo..hi]);
    macro_rules! body {
        () => {
            for (&j, &k) in drawn.iter().zip(times) {
                let r = &rows[j as usize * w..(j as usize + 1) * w];
                acc.iter_mut().zip(r).for_each(|(a, &x)| *a += k * x);
            }
        };
    }
    #[cfg(all(feature = "simd", target_arch = "x86_64"))]
    pulp::Arch::new().dispatch(
        #[inline(always)]
        || body!(),
    );
    #[cfg(not(all(feature = "simd", target_arch = "x86_64")))]
    body!();
}

/// Bootstrap estimates for every resample: `out[b * d + i] = (S1, ST)`.
fn resample(rows: &[f64], d: usize, resamples: &Resamples, acc: &mut Vec<f64>, out: &mut Vec<(f64, f64)>) {
    let w = 4 + 3 * d;
    let n = resamples.n;
    out.clear();
    for b in 0..resamples.len() {
        acc.clear();
        acc.resize(w, 0.0);
        accumulate(acc, rows, resamples, b, w);
        let nn = n as f64;
        let mu = (acc[0] + acc[1]) / (2.0 * nn);
        let var = (acc[2] + acc[3]) / (2.0 * nn) - mu * mu;
        for i in 0..d {
            if var > 0.0 {
                let s1 = (acc[4 + d + i] / nn - mu * acc[4 + i] / nn) / var;
                let st = acc[4 + 2 * d + i] / nn / var / 2.0;
                out.push((s1, st));
            } else {
                out.push((0.0, 0.0));
            }
        }
    }
}

struct Estimated {
    indices: Vec<Estimate>,
}

fn estimate_target(
    f: &[f64],
    n: usize,
    d: usize,
    resamples: &Resamples,
    conf: f64,
    bufs: &mut Buffers,
) -> Option<Estimated> {
    let (mu, _var, pts) = point(f, n, d)?;
    let mut indices: Vec<Estimate> = pts.iter().map(|&(a, b)| (a, b, None)).collect();
    let boots = resamples.len();
    if boots > 0 {
        let (rows, acc, est, tmp) = bufs;
        bootstrap_rows(f, n, d, mu, rows);
        resample(rows, d, resamples, acc, est);
        let (lo_q, hi_q) = ((1.0 - conf) / 2.0, (1.0 + conf) / 2.0);
        for (i, idx) in indices.iter_mut().enumerate() {
            tmp.clear();
            tmp.extend((0..boots).map(|b| est[b * d + i].0));
            let (s1_lo, s1_hi) = (quantile(tmp, lo_q), quantile(tmp, hi_q));
            tmp.clear();
            tmp.extend((0..boots).map(|b| est[b * d + i].1));
            let (st_lo, st_hi) = (quantile(tmp, lo_q), quantile(tmp, hi_q));
            idx.2 = Some((s1_lo, s1_hi, st_lo, st_hi));
        }
    }
    Some(Estimated { indices })
}

fn estimate(
    engine: &Engine,
    plan: &Plan,
    design: SaDesign,
    options: &SensitivityOptions,
    out: RunOutputs,
    workers: &Workers,
    progress: Progress<'_>,
) -> Result<Sensitivity, Error> {
    let n = design.n;
    let d = engine.factors.len();
    let m = engine.m;
    let runs = design.runs();
    let boots = options.bootstrap;
    let resamples = Resamples::new(n, boots, options.seed);
    let conf = options.confidence;
    // Every target's series (runs long), in the order asked.
    let mut series: Vec<(Target, Option<usize>)> = Vec::new();
    for &t in &options.targets {
        match t {
            Target::RankShift | Target::National => series.push((t, None)),
            Target::Score | Target::Rank => series.extend((0..m).map(|i| (t, Some(i)))),
        }
    }
    let gather = |t: Target, i: Option<usize>, buf: &mut Vec<f64>| {
        buf.clear();
        match (t, i) {
            (Target::RankShift, _) => buf.extend(out.stats.iter().map(|s| s.rank_shift)),
            (Target::National, _) => buf.extend(out.stats.iter().map(|s| s.national)),
            (Target::Score, Some(i)) => buf.extend_from_slice(&out.scores[i * runs..(i + 1) * runs]),
            (Target::Rank, Some(i)) => buf.extend(out.ranks[i * runs..(i + 1) * runs].iter().map(|&r| f64::from(r))),
            _ => unreachable!("institution targets carry an institution"),
        }
    };
    let one = |&(t, i): &(Target, Option<usize>), f: &mut Vec<f64>, bufs: &mut Buffers| -> Result<Estimated, f64> {
        gather(t, i, f);
        estimate_target(f, n, d, &resamples, conf, bufs).ok_or(f[0])
    };
    // Targets in batches (each with its own buffers), a round of batches per worker set,
    // progress reported (and a cancel honoured) between rounds.
    let batch = 16;
    let batches = series.len().div_ceil(batch);
    let round = workers.count.max(1) * 4;
    let mut results: Vec<Result<Estimated, f64>> = Vec::with_capacity(series.len());
    let mut b0 = 0;
    while b0 < batches {
        if !progress(runs + (b0 * batch).min(series.len()), runs + series.len()) {
            return Err(Error::from(crate::error::RobustnessError::new(
                crate::error::RobustnessErrorKind::Cancelled,
                format!(
                    "stopped after every run, while estimating ({} of {} targets)",
                    b0 * batch,
                    series.len()
                ),
            )));
        }
        let b1 = (b0 + round).min(batches);
        let done = workers.map(b1 - b0, &|k| {
            let (lo, hi) = ((b0 + k) * batch, ((b0 + k + 1) * batch).min(series.len()));
            let (mut f, mut bufs) = (Vec::new(), (Vec::new(), Vec::new(), Vec::new(), Vec::new()));
            series[lo..hi]
                .iter()
                .map(|s| one(s, &mut f, &mut bufs))
                .collect::<Vec<_>>()
        });
        results.extend(done.into_iter().flatten());
        b0 = b1;
    }
    progress(runs + series.len(), runs + series.len());
    let inst = |i: Option<usize>| i.map(|i| engine.institutions[i].id.clone());
    let mut indices = Vec::new();
    let mut constant = Vec::new();
    for ((t, i), r) in series.iter().zip(results) {
        match r {
            Err(value) => constant.push(ConstantTarget {
                target: *t,
                institution: inst(*i),
                value,
            }),
            Ok(e) => {
                for (k, (s1, st, ci)) in e.indices.into_iter().enumerate() {
                    indices.push(SobolIndex {
                        target: *t,
                        institution: inst(*i),
                        factor: engine.factors[k].name.clone(),
                        s1,
                        s1_lo: ci.map(|c| c.0),
                        s1_hi: ci.map(|c| c.1),
                        st,
                        st_lo: ci.map(|c| c.2),
                        st_hi: ci.map(|c| c.3),
                        s1_nonzero: ci.map(|c| !(c.0 <= 0.0 && 0.0 <= c.1)),
                        st_nonzero: ci.map(|c| !(c.2 <= 0.0 && 0.0 <= c.3)),
                    });
                }
            }
        }
    }
    // Convergence of the scalar targets: the first n' rows of every block.
    let mut convergence = Vec::new();
    if boots > 0 {
        let mut bufs = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let mut f = Vec::new();
        let mut sub = Vec::new();
        for &t in options
            .targets
            .iter()
            .filter(|t| matches!(t, Target::RankShift | Target::National))
        {
            gather(t, None, &mut f);
            let mut k = (n / 8).max(1);
            while k <= n {
                if k >= 4 {
                    sub.clear();
                    for block in 0..d + 2 {
                        sub.extend_from_slice(&f[block * n..block * n + k]);
                    }
                    let c = Resamples::new(k, boots, options.seed ^ k as u64);
                    if let Some(e) = estimate_target(&sub, k, d, &c, conf, &mut bufs) {
                        for (i, (s1, st, ci)) in e.indices.into_iter().enumerate() {
                            let ci = ci.expect("bootstrap on");
                            convergence.push(Convergence {
                                target: t,
                                factor: engine.factors[i].name.clone(),
                                n: k,
                                s1,
                                s1_width: ci.1 - ci.0,
                                st,
                                st_width: ci.3 - ci.2,
                            });
                        }
                    }
                }
                k *= 2;
            }
        }
    }
    let runs_table: Vec<SaRun> = (0..runs)
        .map(|r| {
            let block = r / n;
            SaRun {
                run: r,
                block: match block {
                    0 => "A".to_string(),
                    1 => "B".to_string(),
                    b => format!("AB:{}", engine.factors[b - 2].name),
                },
                row: r % n,
                values: out.values[r * d..(r + 1) * d].to_vec(),
                rank_shift: out.stats[r].rank_shift,
                national: out.stats[r].national,
            }
        })
        .collect();
    Ok(Sensitivity {
        edition: plan.edition().id().to_string(),
        factors: engine.factors.clone(),
        policies: engine.policies.clone(),
        evaluation: engine.evaluation.to_string(),
        design,
        bootstrap: boots,
        confidence: conf,
        institutions: engine.institutions.iter().map(|x| x.id.clone()).collect(),
        indices,
        constant,
        convergence,
        runs: runs_table,
        outputs: if options.keep_outputs {
            Some(out.run_major(m))
        } else {
            None
        },
    })
}

/// First-order and total indices from given outputs, as `scipy.stats.sobol_indices` with
/// `func={"f_A", "f_B", "f_AB"}` computes them (`f_ab[i]` is the output of `A_B^(i)`):
/// `None` for a constant output. Exposed so that the estimators can be checked against
/// SciPy on any model.
pub fn sobol_indices(f_a: &[f64], f_b: &[f64], f_ab: &[Vec<f64>]) -> Option<Vec<(f64, f64)>> {
    let n = f_a.len();
    let mut f = Vec::with_capacity(n * (f_ab.len() + 2));
    f.extend_from_slice(f_a);
    f.extend_from_slice(f_b);
    for x in f_ab {
        f.extend_from_slice(x);
    }
    point(&f, n, f_ab.len()).map(|p| p.2)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A linear model with independent uniform inputs: exact indices c_i^2 / sum c^2.
    #[test]
    fn linear_model_indices_are_within_0_02_and_covered() {
        let c = [1.0, 2.0, 0.5, 3.0];
        let d = c.len();
        let names: Vec<String> = (0..d).map(|i| format!("x{i}")).collect();
        let design = SaDesign::generate(&names, 4096, 7, Sampler::Sobol).unwrap();
        let n = design.n;
        let mut f = vec![0.0; design.runs()];
        let mut u = vec![0.0; d];
        for (r, y) in f.iter_mut().enumerate() {
            design.run_row(r, &mut u);
            *y = u.iter().zip(&c).map(|(x, k)| x * k).sum();
        }
        let total: f64 = c.iter().map(|x| x * x).sum();
        let resamples = Resamples::new(n, 200, 3);
        let mut bufs = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let e = estimate_target(&f, n, d, &resamples, 0.95, &mut bufs).unwrap();
        for (i, (s1, st, ci)) in e.indices.iter().enumerate() {
            let exact = c[i] * c[i] / total;
            assert!((s1 - exact).abs() < 0.02, "S1_{i} = {s1}, exact {exact}");
            assert!((st - exact).abs() < 0.02, "ST_{i} = {st}, exact {exact}");
            let (lo1, hi1, lo2, hi2) = ci.unwrap();
            assert!(
                lo1 <= exact && exact <= hi1,
                "S1_{i} interval [{lo1}, {hi1}] misses {exact}"
            );
            assert!(
                lo2 <= exact && exact <= hi2,
                "ST_{i} interval [{lo2}, {hi2}] misses {exact}"
            );
        }
    }

    #[test]
    fn a_constant_output_has_no_indices() {
        let f = vec![0.5; 8 * 4];
        assert!(point(&f, 8, 2).is_none());
    }
}
