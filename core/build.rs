//! Compiles the shipped editions (`editions/*.toml`) and catalogue rules
//! (`catalogue/ckan.toml`) into minified JSON in `OUT_DIR`, so that the crate loads them with
//! `serde_json` alone: no TOML parser at run time (the WebAssembly module carries none) and a
//! faster load.
//!
//! The conversion is generic (a TOML value to the same JSON value): strings, booleans and
//! tables as they are, integers as JSON integers (exact: TOML integers are `i64`), floats as
//! the shortest decimal that reads back to the same bits (`serde_json` writes them with `ryu`;
//! the crate reads them with `float_roundtrip`). Anything JSON cannot carry the same way fails
//! the build: a TOML datetime (no field of the schema takes one) or a non-finite float. A unit
//! test (`edition::tests::embedded_editions_equal_their_toml`, feature `toml`) checks that
//! every embedded edition deserialises to the same `EditionDef`, bit for bit, as its TOML.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::{env, fs};

/// The shipped editions, in the order `Edition::shipped` lists them. Every file in
/// `editions/` must be here and every id must be the `id` its file declares.
const EDITIONS: &[&str] = &[
    "mga-2017",
    "mga-2019",
    "mga-2021",
    "mga-2023",
    "godi-2015",
    "godi-2014",
    "godi-2013",
    "odb-2014",
    "oecd-ourdata-2019",
    "oecd-ourdata-2023",
    "oecd-dgi-2019",
];

fn main() {
    let manifest = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let editions = manifest.join("editions");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed={}", editions.display());

    // Every file listed, every listed file present.
    let mut on_disk: Vec<String> = fs::read_dir(&editions)
        .unwrap_or_else(|e| panic!("{}: {e}", editions.display()))
        .map(|entry| entry.expect("a readable directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| p.file_stem().expect("a file name").to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = EDITIONS.iter().map(|s| s.to_string()).collect();
    listed.sort();
    assert_eq!(
        on_disk, listed,
        "core/editions/*.toml and build.rs's EDITIONS must name the same editions"
    );

    fs::create_dir_all(out.join("editions")).expect("OUT_DIR is writable");
    let mut code = String::from(
        "/// Shipped editions: `(id, minified JSON)`, compiled from `editions/<id>.toml` by `build.rs`.\n\
         const SHIPPED: &[(&str, &str)] = &[\n",
    );
    let mut toml_code = String::from(
        "/// Shipped editions as written: `(id, TOML text)` (tests compare them with [`SHIPPED`]).\n\
         #[cfg(all(test, feature = \"toml\"))]\n\
         const SHIPPED_TOML: &[(&str, &str)] = &[\n",
    );
    for id in EDITIONS {
        let path = editions.join(format!("{id}.toml"));
        println!("cargo:rerun-if-changed={}", path.display());
        let json = compile(&path);
        let declared = match &json {
            serde_json::Value::Object(o) => o.get("id").and_then(|v| v.as_str()).map(str::to_string),
            _ => None,
        };
        assert_eq!(
            declared.as_deref(),
            Some(*id),
            "{}: the `id` must be the file name",
            path.display()
        );
        let target = out.join("editions").join(format!("{id}.json"));
        write(&target, &json);
        writeln!(code, "    ({id:?}, include_str!({:?})),", target.display().to_string()).unwrap();
        writeln!(
            toml_code,
            "    ({id:?}, include_str!({:?})),",
            path.display().to_string()
        )
        .unwrap();
    }
    code.push_str("];\n\n");
    toml_code.push_str("];\n");
    code.push_str(&toml_code);
    fs::write(out.join("shipped_editions.rs"), code).expect("OUT_DIR is writable");

    let rules = manifest.join("catalogue").join("ckan.toml");
    println!("cargo:rerun-if-changed={}", rules.display());
    write(&out.join("ckan.json"), &compile(&rules));
}

/// A TOML file as the equivalent JSON value.
fn compile(path: &Path) -> serde_json::Value {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let value: toml::Value = toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    to_json(&value, path, &mut String::new())
}

fn write(target: &Path, json: &serde_json::Value) {
    let text = serde_json::to_string(json).expect("a JSON value serialises");
    fs::write(target, text).unwrap_or_else(|e| panic!("{}: {e}", target.display()));
}

/// The same value in JSON; `at` is the key path, for messages.
fn to_json(value: &toml::Value, path: &Path, at: &mut String) -> serde_json::Value {
    use serde_json::Value as J;
    match value {
        toml::Value::String(s) => J::String(s.clone()),
        toml::Value::Integer(i) => J::from(*i),
        toml::Value::Float(f) => match serde_json::Number::from_f64(*f) {
            Some(n) => J::Number(n),
            None => panic!("{}: {at} = {f}: JSON has no non-finite numbers", path.display()),
        },
        toml::Value::Boolean(b) => J::Bool(*b),
        toml::Value::Datetime(d) => panic!(
            "{}: {at} = {d}: a TOML datetime, which no field of the schema takes (quote it)",
            path.display()
        ),
        toml::Value::Array(items) => J::Array(
            items
                .iter()
                .enumerate()
                .map(|(k, v)| {
                    let len = at.len();
                    write!(at, "[{k}]").unwrap();
                    let j = to_json(v, path, at);
                    at.truncate(len);
                    j
                })
                .collect(),
        ),
        toml::Value::Table(table) => J::Object(
            table
                .iter()
                .map(|(key, v)| {
                    let len = at.len();
                    if !at.is_empty() {
                        at.push('.');
                    }
                    at.push_str(key);
                    let j = to_json(v, path, at);
                    at.truncate(len);
                    (key.clone(), j)
                })
                .collect(),
        ),
    }
}
