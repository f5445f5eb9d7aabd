//! Benchmarks live in `benches/`: criterion benchmarks in `benches/benches/`, timed
//! examples in `benches/examples/`, and the Python, Node and browser benchmarks. This
//! library holds what the timed examples share.

use std::time::Instant;

/// The median of some timings (the upper one of the two middle values for an even count).
pub fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// The median wall time in seconds of `reps` runs of `f`.
pub fn time(reps: usize, mut f: impl FnMut()) -> f64 {
    median(
        (0..reps)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed().as_secs_f64()
            })
            .collect(),
    )
}
