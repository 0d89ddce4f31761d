//! Shared helpers: running the binary, the fixture guide and the shipped content, loaded once.
//!
//! Behaviour is tested on the fixture guide (`tests/fixtures/guide`): four languages, four topics,
//! a card, a few missions and regions, and strings that say their language and id ("[uz]
//! welcome"), so that a test can tell which message in which language a user got. The shipped
//! content is tested only for what must hold whatever the editors write (it loads, every page
//! reaches Telegram, the matcher's thresholds).

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

use huquq_engine::{CheckOptions, Snapshot};

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

/// `huquq` on the fixture guide.
pub fn huquq_guide(args: &[&str], stdin: &str) -> Output {
    let mut all = vec![
        "--content",
        "tests/fixtures/guide/content",
        "--locales",
        "tests/fixtures/guide/locales",
    ];
    all.extend_from_slice(args);
    huquq(&all, stdin)
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

/// The day the fixture is judged against: its articles were reviewed on 2026-11-20.
pub fn today() -> time::Date {
    time::macros::date!(2026 - 11 - 22)
}

fn load(content: &Path, locales: &Path, day: time::Date) -> Snapshot {
    let checked = huquq::content::load(content, locales, CheckOptions::new(day)).expect("content readable");
    let errors: Vec<String> = checked.diagnostics.iter().map(ToString::to_string).collect();
    checked
        .snap
        .unwrap_or_else(|| panic!("{} has errors:\n{}", content.display(), errors.join("\n")))
}

pub fn guide_dirs() -> (PathBuf, PathBuf) {
    let dir = root().join("tests/fixtures/guide");
    (dir.join("content"), dir.join("locales"))
}

/// The fixture guide, loaded once for all tests.
pub fn guide() -> &'static Snapshot {
    static GUIDE: OnceLock<Snapshot> = OnceLock::new();
    GUIDE.get_or_init(|| {
        let (content, locales) = guide_dirs();
        load(&content, &locales, today())
    })
}

/// A fresh copy of the fixture guide, for front ends that own their content.
pub fn fresh_guide() -> Snapshot {
    let (content, locales) = guide_dirs();
    load(&content, &locales, today())
}

/// The shipped content as the bot loads it today, loaded once: only for tests of what must hold
/// whatever editors write.
pub fn shipped() -> &'static Snapshot {
    static SHIPPED: OnceLock<Snapshot> = OnceLock::new();
    let now = time::OffsetDateTime::now_utc().date();
    SHIPPED.get_or_init(|| load(&root().join("content"), &root().join("locales"), now))
}

/// Copies a folder and everything under it.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A fixture string as the guide's locales write it: "[uz] welcome".
pub fn t(lang: &str, id: &str) -> String {
    format!("[{lang}] {id}")
}
