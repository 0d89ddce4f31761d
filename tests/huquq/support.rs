//! Shared helpers: running the binary, and the shipped content loaded once.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

use huquq_engine::{CheckOptions, Index, Library};

pub const LANGS: [&str; 4] = ["uz", "ru", "ky", "tg"];

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `huquq` with `args` in the project folder, feeding `stdin`.
pub fn huquq(args: &[&str], stdin: &str) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_huquq"))
        .args(args)
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("huquq runs");
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

pub fn today() -> time::Date {
    time::macros::date!(2026 - 11 - 22)
}

/// The shipped content and its index, loaded once for all tests.
pub fn shipped() -> &'static (Library, Index) {
    static LIB: OnceLock<(Library, Index)> = OnceLock::new();
    LIB.get_or_init(|| {
        let loaded = huquq_engine::load(
            &root().join("content"),
            &root().join("locales"),
            CheckOptions::new(today()),
        )
        .expect("content readable");
        let errors: Vec<String> = loaded.diagnostics.iter().map(ToString::to_string).collect();
        let lib = loaded
            .library
            .unwrap_or_else(|| panic!("shipped content has errors:\n{}", errors.join("\n")));
        let index = Index::build(&lib);
        (lib, index)
    })
}

pub fn fixture(name: &str) -> (PathBuf, PathBuf) {
    let dir = root().join("tests/fixtures").join(name);
    (dir.join("content"), dir.join("locales"))
}

pub fn rel(p: &Path) -> String {
    p.strip_prefix(root()).unwrap_or(p).display().to_string()
}

/// A fresh copy of the shipped content, for front ends that own their library.
pub fn fresh() -> (Library, Index) {
    let loaded = huquq_engine::load(
        &root().join("content"),
        &root().join("locales"),
        CheckOptions::new(today()),
    )
    .expect("content readable");
    let lib = loaded.library.expect("shipped content is valid");
    let index = Index::build(&lib);
    (lib, index)
}
