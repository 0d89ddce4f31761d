//! The content loader on any file an editor can save: loading never panics, and content it
//! accepts draws into pages Telegram accepts. The first byte picks which file of the fixture
//! guide (`tests/fixtures/guide`) the rest of the input replaces.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use huquq_engine::content::Sources;
use huquq_engine::{CheckOptions, Snapshot};
use libfuzzer_sys::fuzz_target;

const FILES: &[&str] = &[
    "topics/detention-48h/ru.md",
    "topics/detention-48h/uz.md",
    "topics/emergency/ru.md",
    "topics/detention-48h/topic.toml",
    "card.toml",
    "policy.toml",
    "languages.toml",
    "consulates.toml",
    "regions.toml",
    "search.toml",
    "locales/ru/bot.ftl",
];

fn fixture() -> &'static Sources {
    static FIXTURE: OnceLock<Sources> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/guide");
        let (sources, problems) =
            Sources::read(&root.join("content"), &root.join("locales")).expect("the fixture is readable");
        assert!(problems.is_empty());
        sources
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let file = FILES[usize::from(which) % FILES.len()];
    let sources = fixture().clone().with(file, text);
    let loaded = huquq_engine::content::build(&sources, CheckOptions::new(time::macros::date!(2026 - 11 - 22)));
    for d in &loaded.diagnostics {
        // Every diagnostic points into a file, at a real position.
        assert!(d.line >= 1 && d.col >= 1, "{d:?}");
    }
    let Some(library) = loaded.library else {
        return;
    };
    // Drawing every page for Telegram reports problems; it never panics.
    let snap = Snapshot::new(library);
    let _ = huquq::telegram::pages::check(&snap);
    let _ = snap.index().rank(text);
});
