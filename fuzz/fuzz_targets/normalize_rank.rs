//! The normalizer and the ranker on any text a user can send: no panic, folding is stable and
//! well formed, and every decision names a topic that exists.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use huquq_engine::search::{normalize, Decision};
use huquq_engine::{CheckOptions, Snapshot};
use libfuzzer_sys::fuzz_target;

fn shipped() -> &'static Snapshot {
    static SHIPPED: OnceLock<Snapshot> = OnceLock::new();
    SHIPPED.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let today = time::macros::date!(2026 - 11 - 22);
        let loaded = huquq_engine::load(&root.join("content"), &root.join("locales"), CheckOptions::new(today))
            .expect("the shipped content is readable");
        Snapshot::new(loaded.library.expect("the shipped content has no errors"))
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let once = normalize::fold(text);
    assert_eq!(normalize::fold(&once), once, "folding is not stable");
    assert!(!once.starts_with(' ') && !once.ends_with(' ') && !once.contains("  "));

    let snap = shipped();
    let (library, index) = (snap.lib(), snap.index());
    let ranking = index.rank(text);
    let exists = |id: &str| library.topic(id).is_some();
    assert!(ranking.candidates.iter().all(|(id, score)| exists(id) && *score > 0.0));
    match index.decide(&ranking) {
        Decision::Answer(id) => assert!(exists(&id)),
        Decision::Intent(id) => assert!(library.intents.iter().any(|i| i.id == id)),
        Decision::Unsure(ids) => assert!(!ids.is_empty() && ids.iter().all(|id| exists(id))),
        Decision::NoAnswer => {}
    }
    if let Some(lang) = index.detect_language(text) {
        assert!(library.language(&lang).is_some());
    }
    let _ = library.consulates.find_country(text);
    let _ = library.consulates.find_region(text);
});
