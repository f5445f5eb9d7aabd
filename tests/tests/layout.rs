//! The core's layout is an invariant (ARCHITECTURE.md): `core/src/` holds only `lib.rs`,
//! `error.rs`, `synthetic.rs` and the domain folders, and the folders depend on each other
//! one way only (no module imports one that imports it back).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn core_src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("core/src is readable") {
        let p = entry.expect("dir entry").path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// Domain folder -> the other domain folders (and top-level modules) it names as `crate::x`.
fn folder_imports() -> BTreeMap<String, BTreeSet<String>> {
    let root = core_src();
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for f in files {
        let rel = f.strip_prefix(&root).expect("under core/src");
        let Some(first) = rel.components().next() else { continue };
        let from = first.as_os_str().to_string_lossy().trim_end_matches(".rs").to_string();
        if from == "lib" {
            continue; // the crate root re-exports everything by design
        }
        let text = std::fs::read_to_string(&f).expect("readable");
        let deps = graph.entry(from.clone()).or_default();
        for (pos, _) in text.match_indices("crate::") {
            let rest = &text[pos + "crate::".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            let is_module = name.chars().next().is_some_and(|c| c.is_ascii_lowercase());
            if is_module && name != from {
                deps.insert(name);
            }
        }
    }
    graph
}

#[test]
fn root_holds_only_lib_error_synthetic_and_folders() {
    let mut loose = Vec::new();
    for entry in std::fs::read_dir(core_src()).unwrap() {
        let p = entry.unwrap().path();
        if p.is_file() {
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            if !["lib.rs", "error.rs", "synthetic.rs"].contains(&name.as_str()) {
                loose.push(name);
            }
        } else {
            assert!(
                p.join("mod.rs").exists(),
                "{} has no mod.rs with its //! doc",
                p.display()
            );
            let doc = std::fs::read_to_string(p.join("mod.rs")).unwrap();
            assert!(
                doc.starts_with("//! "),
                "{}/mod.rs must start with a //! doc",
                p.display()
            );
            assert!(
                doc.contains("**Owns**") && doc.contains("**Uses**"),
                "{}: say what it owns and uses",
                p.display()
            );
        }
    }
    assert!(loose.is_empty(), "files at the root of core/src: {loose:?}");
}

#[test]
fn folders_depend_one_way() {
    let graph = folder_imports();
    // Depth-first search for a cycle.
    fn visit<'a>(
        n: &'a str,
        g: &'a BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<&'a str, u8>,
        path: &mut Vec<&'a str>,
    ) -> Option<Vec<String>> {
        match state.get(n) {
            Some(2) => return None,
            Some(1) => {
                let start = path.iter().position(|p| *p == n).unwrap();
                let mut cyc: Vec<String> = path[start..].iter().map(|s| s.to_string()).collect();
                cyc.push(n.to_string());
                return Some(cyc);
            }
            _ => {}
        }
        state.insert(n, 1);
        path.push(n);
        for d in g.get(n).into_iter().flatten() {
            if let Some(c) = visit(d, g, state, path) {
                return Some(c);
            }
        }
        path.pop();
        state.insert(n, 2);
        None
    }
    let mut state = BTreeMap::new();
    for n in graph.keys() {
        if let Some(cycle) = visit(n, &graph, &mut state, &mut Vec::new()) {
            panic!("import circle between folders: {}", cycle.join(" -> "));
        }
    }
    // The direction the architecture states.
    let uses = |a: &str, b: &str| graph.get(a).is_some_and(|d| d.contains(b));
    assert!(
        !uses("edition", "scoring") && !uses("edition", "input"),
        "edition is the base: {graph:?}"
    );
    assert!(
        !uses("scoring", "analysis") && !uses("scoring", "observations"),
        "{graph:?}"
    );
    assert!(!uses("input", "scoring"), "input feeds scoring: {graph:?}");
    assert!(uses("scoring", "edition") && uses("analysis", "scoring"), "{graph:?}");
}
