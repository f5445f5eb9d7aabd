//! Writes `tests/vectors/golden/<case>.json` and `tests/vectors/robustness/golden/<case>.json`:
//! the Rust core's output for every shared case, the reference the Python and JavaScript
//! surfaces must reproduce bit for bit.
//! Run after changing the core: `cargo run -p apertura-conformance --example write-golden`.

fn main() {
    let root = apertura_conformance::repo_root();
    let sets = [
        ("tests/vectors/golden", apertura_conformance::cases(), false),
        (
            "tests/vectors/robustness/golden",
            apertura_conformance::robustness_cases(),
            true,
        ),
    ];
    for (dir, cases, robustness) in sets {
        let dir = root.join(dir);
        std::fs::create_dir_all(&dir).expect("create golden dir");
        for (name, case) in cases {
            let golden = if robustness {
                apertura_conformance::run_robustness_case(&case)
            } else {
                apertura_conformance::run_case(&case)
            };
            let text = serde_json::to_string_pretty(&golden).expect("JSON") + "\n";
            std::fs::write(dir.join(format!("{name}.json")), text).expect("write golden");
            println!("wrote {}/{name}.json", dir.display());
        }
    }
}
