//! Writes `tests/vectors/golden/<case>.json`: the Rust core's output for every shared case,
//! the reference the Python and JavaScript surfaces must reproduce bit for bit.
//! Run after changing the core: `cargo run -p apertura-conformance --example write-golden`.

fn main() {
    let dir = apertura_conformance::repo_root().join("tests/vectors/golden");
    std::fs::create_dir_all(&dir).expect("create golden dir");
    for (name, case) in apertura_conformance::cases() {
        let golden = apertura_conformance::run_case(&case);
        let text = serde_json::to_string_pretty(&golden).expect("JSON") + "\n";
        std::fs::write(dir.join(format!("{name}.json")), text).expect("write golden");
        println!("wrote golden/{name}.json");
    }
}
