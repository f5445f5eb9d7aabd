//! Designs: the uniforms that drive every run, seeded and exchangeable as CSV.
//!
//! * Uncertainty analysis: a [`Design`] of N runs x d factors, one column per factor
//!   (named as the factor), one row per run.
//! * Sensitivity analysis: a [`SaDesign`], Saltelli's matrices A and B (N x d each); the
//!   runs are A, B and, for each factor i, A with column i taken from B (`A_B^(i)`):
//!   N (d + 2) runs. Its CSV has the columns `A:<factor>` then `B:<factor>`, N rows.
//!
//! Uniforms come from a scrambled Sobol' sequence (the `sobol_burley` crate: Owen-scrambled,
//! seeded, at most 2^16 points and 256 dimensions) or from a seeded SplitMix64 generator.
//! Both are integer arithmetic, so the same seed gives the same bits on every surface; a
//! design written to CSV (shortest round-trip decimals) and read back gives the same bits.

use serde::{Deserialize, Serialize};

use crate::error::{Error, RobustnessError, RobustnessErrorKind};
use crate::synthetic::SplitMix64;

/// Largest Sobol' sequence `sobol_burley` supports.
pub const SOBOL_MAX_POINTS: usize = 1 << 16;
/// Most Sobol' dimensions `sobol_burley` supports.
pub const SOBOL_MAX_DIMENSIONS: usize = sobol_burley::NUM_DIMENSIONS as usize;

/// Where the uniforms come from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sampler {
    /// Owen-scrambled Sobol' sequence (quasi-random; default).
    #[default]
    Sobol,
    /// SplitMix64 pseudo-random numbers.
    Random,
}

impl Sampler {
    /// Parses `sobol` or `random`.
    pub fn parse(text: &str) -> Option<Sampler> {
        match text.trim().to_ascii_lowercase().as_str() {
            "sobol" | "qmc" => Some(Sampler::Sobol),
            "random" | "mc" | "prng" => Some(Sampler::Random),
            _ => None,
        }
    }
}

fn design_error(message: impl Into<String>) -> Error {
    Error::from(RobustnessError::new(RobustnessErrorKind::InvalidDesign, message))
}

fn sobol_seed(seed: u64) -> u32 {
    (seed as u32) ^ ((seed >> 32) as u32)
}

/// `n` points of dimension `dims`, row-major.
fn uniforms(n: usize, dims: usize, seed: u64, sampler: Sampler) -> Result<Vec<f64>, Error> {
    let mut out = Vec::with_capacity(n * dims);
    match sampler {
        Sampler::Sobol => {
            if n > SOBOL_MAX_POINTS {
                return Err(design_error(format!(
                    "the Sobol' sequence has at most {SOBOL_MAX_POINTS} points; asked for {n} (use the random sampler)"
                )));
            }
            if dims > SOBOL_MAX_DIMENSIONS {
                return Err(design_error(format!(
                    "the Sobol' sequence has at most {SOBOL_MAX_DIMENSIONS} dimensions; the design needs {dims} (use the random sampler)"
                )));
            }
            let s = sobol_seed(seed);
            for i in 0..n {
                for d in 0..dims {
                    out.push(f64::from(sobol_burley::sample(i as u32, d as u32, s)));
                }
            }
        }
        Sampler::Random => {
            let mut g = SplitMix64::new(seed);
            for _ in 0..n * dims {
                out.push(g.next_f64());
            }
        }
    }
    Ok(out)
}

/// The uniforms of an uncertainty analysis: `n` runs x the factors.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Design {
    /// Factor names, in column order.
    pub factors: Vec<String>,
    /// Number of runs.
    pub n: usize,
    /// Row-major `n x factors.len()` uniforms in [0, 1).
    pub values: Vec<f64>,
}

impl Design {
    /// A seeded design of `n` runs.
    pub fn generate(factors: &[String], n: usize, seed: u64, sampler: Sampler) -> Result<Design, Error> {
        if n == 0 {
            return Err(design_error("a design needs at least one run (n >= 1)"));
        }
        Ok(Design {
            factors: factors.to_vec(),
            n,
            values: uniforms(n, factors.len(), seed, sampler)?,
        })
    }
    /// The uniforms of run `r`.
    pub fn row(&self, r: usize) -> &[f64] {
        let d = self.factors.len();
        &self.values[r * d..(r + 1) * d]
    }
    /// The design as CSV: a header of factor names, one row per run (feature `csv`).
    #[cfg(feature = "csv")]
    pub fn to_csv(&self) -> String {
        write_csv(&self.factors, self.n, |r, k| self.row(r)[k])
    }
    /// Reads a design written by [`Design::to_csv`] (or by anyone): its columns must be
    /// exactly `factors` (any order), its values numbers in [0, 1) (feature `csv`).
    #[cfg(feature = "csv")]
    pub fn from_csv(text: &str, factors: &[String], source: &str) -> Result<Design, Error> {
        let (n, values) = read_csv(text, factors, source)?;
        Ok(Design {
            factors: factors.to_vec(),
            n,
            values,
        })
    }
}

/// Saltelli's matrices A and B of a sensitivity analysis.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SaDesign {
    /// Factor names, in column order.
    pub factors: Vec<String>,
    /// Rows of A and of B (a power of two).
    pub n: usize,
    /// Row-major `n x d` matrix A.
    pub a: Vec<f64>,
    /// Row-major `n x d` matrix B.
    pub b: Vec<f64>,
}

impl SaDesign {
    /// A seeded design: the first `d` dimensions of a `2d`-dimensional sequence are A, the
    /// next `d` are B (as SciPy and SALib do).
    pub fn generate(factors: &[String], n: usize, seed: u64, sampler: Sampler) -> Result<SaDesign, Error> {
        check_power_of_two(n)?;
        let d = factors.len();
        let both = uniforms(n, 2 * d, seed, sampler)?;
        let mut a = Vec::with_capacity(n * d);
        let mut b = Vec::with_capacity(n * d);
        for r in 0..n {
            a.extend_from_slice(&both[r * 2 * d..r * 2 * d + d]);
            b.extend_from_slice(&both[r * 2 * d + d..(r + 1) * 2 * d]);
        }
        Ok(SaDesign {
            factors: factors.to_vec(),
            n,
            a,
            b,
        })
    }
    /// Number of runs: `n (d + 2)`.
    pub fn runs(&self) -> usize {
        self.n * (self.factors.len() + 2)
    }
    /// The uniforms of run `run` into `out`: runs `0..n` are A, `n..2n` B, then block `i`
    /// (`(2 + i) n ..`) is `A_B^(i)`.
    pub fn run_row(&self, run: usize, out: &mut [f64]) {
        let d = self.factors.len();
        let (block, r) = (run / self.n, run % self.n);
        let a = &self.a[r * d..(r + 1) * d];
        let b = &self.b[r * d..(r + 1) * d];
        match block {
            0 => out.copy_from_slice(a),
            1 => out.copy_from_slice(b),
            i => {
                out.copy_from_slice(a);
                out[i - 2] = b[i - 2];
            }
        }
    }
    /// The design as CSV: `A:<factor>` then `B:<factor>` for every factor, `n` rows
    /// (feature `csv`).
    #[cfg(feature = "csv")]
    pub fn to_csv(&self) -> String {
        let d = self.factors.len();
        let header: Vec<String> = self
            .factors
            .iter()
            .map(|f| format!("A:{f}"))
            .chain(self.factors.iter().map(|f| format!("B:{f}")))
            .collect();
        write_csv(&header, self.n, |r, k| {
            if k < d {
                self.a[r * d + k]
            } else {
                self.b[r * d + k - d]
            }
        })
    }
    /// Reads a design written by [`SaDesign::to_csv`]: the columns `A:<f>` and `B:<f>` for
    /// exactly `factors` (any order), a power-of-two number of rows, values in [0, 1)
    /// (feature `csv`).
    #[cfg(feature = "csv")]
    pub fn from_csv(text: &str, factors: &[String], source: &str) -> Result<SaDesign, Error> {
        let d = factors.len();
        let header: Vec<String> = factors
            .iter()
            .map(|f| format!("A:{f}"))
            .chain(factors.iter().map(|f| format!("B:{f}")))
            .collect();
        let (n, values) = read_csv(text, &header, source)?;
        check_power_of_two(n)?;
        let mut a = Vec::with_capacity(n * d);
        let mut b = Vec::with_capacity(n * d);
        for r in 0..n {
            a.extend_from_slice(&values[r * 2 * d..r * 2 * d + d]);
            b.extend_from_slice(&values[r * 2 * d + d..(r + 1) * 2 * d]);
        }
        Ok(SaDesign {
            factors: factors.to_vec(),
            n,
            a,
            b,
        })
    }
}

fn check_power_of_two(n: usize) -> Result<(), Error> {
    if n < 2 || !n.is_power_of_two() {
        return Err(design_error(format!(
            "a sensitivity design needs N a power of two, at least 2 (the Sobol' sequence is balanced only then); got {n}"
        )));
    }
    Ok(())
}

#[cfg(feature = "csv")]
fn write_csv(header: &[String], n: usize, value: impl Fn(usize, usize) -> f64) -> String {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    w.write_record(header).expect("writing to memory");
    let mut row: Vec<String> = vec![String::new(); header.len()];
    for r in 0..n {
        for (k, cell) in row.iter_mut().enumerate() {
            *cell = format!("{}", value(r, k));
        }
        w.write_record(&row).expect("writing to memory");
    }
    String::from_utf8(w.into_inner().expect("flush to memory")).expect("ASCII")
}

/// Reads a numeric CSV whose columns are exactly `expected` (any order); returns the row
/// count and the values row-major in `expected` order.
#[cfg(feature = "csv")]
fn read_csv(text: &str, expected: &[String], source: &str) -> Result<(usize, Vec<f64>), Error> {
    let located = Error::from;
    let bad = |msg: String| RobustnessError::new(RobustnessErrorKind::InvalidDesign, format!("{source}: {msg}"));
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut rd = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
    let header: Vec<String> = rd
        .headers()
        .map_err(|e| located(bad(format!("cannot read the header: {e}"))))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let mut pos = vec![usize::MAX; expected.len()];
    for (c, h) in header.iter().enumerate() {
        match expected.iter().position(|e| e == h) {
            Some(k) if pos[k] != usize::MAX => {
                return Err(located(bad(format!("column {h:?} appears twice")).column(h.clone())))
            }
            Some(k) => pos[k] = c,
            None => {
                return Err(located(
                    bad(format!(
                        "column {h:?} is not a factor of this analysis (factors: {})",
                        expected.join(", ")
                    ))
                    .column(h.clone()),
                ))
            }
        }
    }
    if let Some(k) = pos.iter().position(|&p| p == usize::MAX) {
        return Err(located(
            bad(format!("no column {:?} (one column per factor)", expected[k]))
                .column(expected[k].clone())
                .factor(
                    expected[k]
                        .trim_start_matches("A:")
                        .trim_start_matches("B:")
                        .to_string(),
                ),
        ));
    }
    let mut values = Vec::new();
    let mut n = 0usize;
    for (r, rec) in rd.records().enumerate() {
        let rec = rec.map_err(|e| located(bad(format!("row {}: {e}", r + 1)).row(r + 1)))?;
        if rec.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if rec.len() != header.len() {
            return Err(located(
                bad(format!("{} cells for {} columns", rec.len(), header.len())).row(r + 1),
            ));
        }
        for (k, &c) in pos.iter().enumerate() {
            let cell = rec.get(c).unwrap_or("").trim();
            let v: f64 = cell.parse().map_err(|_| {
                located(
                    bad("not a number".into())
                        .row(r + 1)
                        .column(expected[k].clone())
                        .value(cell),
                )
            })?;
            if !(0.0..1.0).contains(&v) {
                return Err(located(
                    bad("a design value must lie in [0, 1)".into())
                        .row(r + 1)
                        .column(expected[k].clone())
                        .value(cell),
                ));
            }
            values.push(v);
        }
        n += 1;
    }
    if n == 0 {
        return Err(located(bad("the design has no rows".into())));
    }
    Ok((n, values))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(k: usize) -> Vec<String> {
        (0..k).map(|i| format!("w:f{i}")).collect()
    }

    #[test]
    #[cfg(feature = "csv")]
    fn designs_round_trip_through_csv_bit_for_bit() {
        for sampler in [Sampler::Sobol, Sampler::Random] {
            let d = Design::generate(&names(3), 37, 11, sampler).unwrap();
            assert!(d.values.iter().all(|v| (0.0..1.0).contains(v)));
            let back = Design::from_csv(&d.to_csv(), &names(3), "d.csv").unwrap();
            assert_eq!(back, d);
            let sa = SaDesign::generate(&names(4), 64, 5, sampler).unwrap();
            let back = SaDesign::from_csv(&sa.to_csv(), &names(4), "sa.csv").unwrap();
            assert_eq!(back, sa);
        }
    }

    #[test]
    fn seeds_give_other_sequences() {
        let a = Design::generate(&names(2), 16, 1, Sampler::Sobol).unwrap();
        let b = Design::generate(&names(2), 16, 2, Sampler::Sobol).unwrap();
        assert_ne!(a.values, b.values);
        assert_eq!(a, Design::generate(&names(2), 16, 1, Sampler::Sobol).unwrap());
    }

    #[test]
    fn saltelli_rows() {
        let sa = SaDesign::generate(&names(3), 4, 9, Sampler::Random).unwrap();
        assert_eq!(sa.runs(), 20);
        let mut row = [0.0; 3];
        sa.run_row(1, &mut row);
        assert_eq!(row, sa.a[3..6]);
        sa.run_row(4 + 2, &mut row);
        assert_eq!(row, sa.b[6..9]);
        sa.run_row(2 * 4 + 4 + 3, &mut row); // A_B^(1), row 3
        assert_eq!(row, [sa.a[9], sa.b[10], sa.a[11]]);
    }

    #[test]
    #[cfg(feature = "csv")]
    fn bad_designs_are_typed_errors_with_location() {
        let f = names(2);
        let code = |r: Result<Design, Error>| r.unwrap_err();
        let e = code(Design::from_csv("w:f0\n0.5\n", &f, "d.csv"));
        assert_eq!(e.code(), "invalid_design");
        assert!(e.to_string().contains("w:f1"), "{e}");
        let e = code(Design::from_csv("w:f0,w:f1,w:f2\n0.5,0.5,0.5\n", &f, "d.csv"));
        assert!(e.to_string().contains("w:f2"), "{e}");
        let e = code(Design::from_csv("w:f0,w:f1\n0.5,0.25\n0.5,1.0\n", &f, "d.csv"));
        match e {
            Error::Robustness(r) => {
                assert_eq!(
                    (r.row, r.column.as_deref(), r.value.as_deref()),
                    (Some(2), Some("w:f1"), Some("1.0"))
                );
            }
            other => panic!("{other}"),
        }
        let e = code(Design::from_csv("w:f1,w:f0\nx,0.1\n", &f, "d.csv"));
        assert!(e.to_string().contains("not a number"), "{e}");
        let e = SaDesign::generate(&f, 6, 1, Sampler::Sobol).unwrap_err();
        assert!(e.to_string().contains("power of two"), "{e}");
        let sa = SaDesign::generate(&f, 8, 1, Sampler::Sobol).unwrap();
        let mut text = sa.to_csv();
        text.push_str("0.1,0.1,0.1,0.1\n");
        assert!(SaDesign::from_csv(&text, &f, "sa.csv")
            .unwrap_err()
            .to_string()
            .contains("power of two"));
        assert!(Design::generate(&f, 70_000, 1, Sampler::Sobol).is_err());
        assert!(Design::generate(&f, 70_000, 1, Sampler::Random).is_ok());
    }
}
