//! # apertura-wasm
//!
//! The WebAssembly binding of [`apertura`], published on npm as `apertura`. It is a thin
//! adapter: every function converts its JavaScript arguments, calls the core, and maps the
//! result (or the core's [`apertura::Error`]) back to JavaScript. No scoring logic lives here.
//!
//! One file per concern:
//! * [`convert`]: JavaScript values in (input data, option objects, columns) and out;
//! * [`error`]: core errors (and panics) as real JavaScript `Error` objects with `.code`;
//! * [`edition`]: the `Edition` class;
//! * [`scoring`]: the stateless scoring functions (`score`, `scoresToCsv`, `scoreColumns`);
//! * [`analysis`]: the stateless analyses (`summary`, `gaps`, `explain`, `improve`, `fichaHtml`);
//! * [`scorer`]: the `Scorer` class (parse and prepare once, re-score cheaply);
//! * [`robustness`]: the robustness analyses (`uncertainty`, `sensitivity`);
//! * [`observations`]: the CKAN catalogue scorer (`catalogue`);
//! * [`types`]: the TypeScript declarations of every input and output shape.
//!
//! Feature `analysis` (default) adds [`robustness`], [`observations`] and the analyses of
//! [`analysis`] beyond `summary`, `gaps` and `explain`. Without it the crate builds the base
//! module of the browser package (`import 'apertura'`); with it, the full module
//! (`import 'apertura/full'`, and Node's build). Big values cross the boundary in bulk
//! ([`convert`] and `glue.js`: typed arrays and one joined text of strings), never value by
//! value.
//!
//! The API is built for `wasm32-unknown-unknown`; on other targets the crate compiles (so
//! `cargo clippy --workspace` checks it) but its functions need a JavaScript host.

use wasm_bindgen::prelude::*;

pub mod analysis;
pub mod convert;
pub mod edition;
pub mod error;
#[cfg(feature = "analysis")]
pub mod observations;
#[cfg(feature = "analysis")]
pub mod robustness;
pub mod scorer;
pub mod scoring;
pub mod types;

pub use edition::Edition;
pub use scorer::Scorer;

/// Installs the panic hook (see [`error::panic_hook`]). Runs when the module is
/// instantiated, and again whenever it is re-instantiated after a panic.
#[wasm_bindgen(start, js_name = "__aperturaStart", skip_typescript)]
fn start() {
    std::panic::set_hook(Box::new(error::panic_hook));
}

/// The package version (the workspace version of the Rust crates).
#[wasm_bindgen]
pub fn version() -> String {
    apertura::VERSION.to_string()
}

/// Summaries of the shipped editions (methodologies).
#[wasm_bindgen(unchecked_return_type = "EditionSummary[]")]
pub fn editions() -> Result<JsValue, JsValue> {
    convert::to_js(&apertura::editions())
}

/// Panics on purpose, to test that a Rust panic reaches JavaScript as an `Error` with
/// `code === "panic"` and that the module keeps working afterwards. Not part of the API.
#[doc(hidden)]
#[wasm_bindgen(js_name = "__panicForTesting", skip_typescript)]
pub fn panic_for_testing(message: String) {
    panic!("{message}");
}
