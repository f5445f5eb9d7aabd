//! What every CLI test file shares: running the binary as a user does.

use std::process::Command;

/// Runs `apertura ARGS`: (exit code, stdout, stderr).
pub fn apertura(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_apertura"))
        .args(args)
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
