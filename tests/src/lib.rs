//! Shared helpers for the conformance tests (published MGA 2017 data, shared vectors).

use std::path::PathBuf;

/// The repository root.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ is inside the repo").to_path_buf()
}

/// The folder of published MGA data: `$APERTURA_SHARED/mga-data`, else `../shared/mga-data`
/// beside the repository (where CI puts it). Never copied into the repository.
pub fn mga_data_dir() -> PathBuf {
    match std::env::var_os("APERTURA_SHARED") {
        Some(p) => PathBuf::from(p).join("mga-data"),
        None => repo_root().parent().expect("repo has a parent").join("shared").join("mga-data"),
    }
}

/// Bytes of a published data file; panics with a clear message if `shared/` is absent.
pub fn published(name: &str) -> Vec<u8> {
    let p = mga_data_dir().join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("cannot read {} ({e}); the published MGA data must sit in ../shared/mga-data", p.display()))
}

/// The published 2017 per-institution file name.
pub const BSO: &str = "mga2017_sujetos_obligados_BSO.csv";
