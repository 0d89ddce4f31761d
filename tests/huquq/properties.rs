//! Properties that must hold for any input, checked on random ones (proptest): what users send
//! and what editors write can be anything.

use huquq::telegram::render::{self, visible_len, MESSAGE_LIMIT};
use huquq::telegram::validate::validate;
use huquq_engine::dialogue::Action;
use huquq_engine::doc;
use huquq_engine::search::normalize;
use proptest::prelude::*;

/// Markdown-ish text: words in several scripts, markup characters, HTML, newlines.
fn markdownish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "[a-zA-Zа-яА-Яёңөүҳҷӣӯқғўʻʼ]{1,12}",
        Just(" ".to_string()),
        Just("\n".to_string()),
        Just("\n\n".to_string()),
        Just("**".to_string()),
        Just("*".to_string()),
        Just("_".to_string()),
        Just("`".to_string()),
        Just("# ".to_string()),
        Just("## ".to_string()),
        Just("- ".to_string()),
        Just("1. ".to_string()),
        Just("> ".to_string()),
        Just("\n---\n".to_string()),
        Just("[link](https://example.org/a?b=1&c=\"2\")".to_string()),
        Just("[bad](javascript:alert(1))".to_string()),
        Just("<b>&amp;</b><script>".to_string()),
        Just("&".to_string()),
        Just("<".to_string()),
        Just("🆘".to_string()),
        Just("\u{7f}\u{1b}[31m\u{0}".to_string()),
    ];
    prop::collection::vec(piece, 0..400).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Parsing the editors' Markdown into the document model loses no character of the text.
    #[test]
    fn parsing_loses_no_text(md in markdownish()) {
        let blocks = doc::parse(&md);
        prop_assert!(doc::keeps_all_of(&doc::plain(&blocks), &doc::source_text(&md)), "text lost from {:?}", md);
    }

    /// Every message of a document drawn for Telegram is valid Telegram HTML within the limit,
    /// and no character of the text is lost.
    #[test]
    fn rendering_is_always_valid_and_loses_no_text(md in markdownish(), limit in 40usize..=MESSAGE_LIMIT) {
        let parts = render::render_with_limit(&doc::parse(&md), limit);
        let mut shown = String::new();
        for p in &parts {
            let visible = validate(&p.html).map_err(|e| TestCaseError::fail(format!("{e}: {}", p.html)))?;
            prop_assert!(visible_len(&p.plain) <= limit.max(2));
            prop_assert!(visible_len(&visible) <= visible_len(&p.plain));
            shown.push_str(&p.plain);
            shown.push(' ');
        }
        prop_assert!(doc::keeps_all_of(&shown, &doc::source_text(&md)), "text lost from {:?}", md);
    }

    /// Cutting plain text keeps every non-space character, in order.
    #[test]
    fn cutting_keeps_every_character(text in "\\PC{0,3000}", limit in 2usize..500) {
        let pieces = render::cut_text(&text, limit);
        let kept: String = pieces.concat().chars().filter(|c| !c.is_whitespace()).collect();
        let all: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        prop_assert_eq!(kept, all);
        prop_assert!(pieces.iter().all(|p| visible_len(p) <= limit.max(2)));
    }

    /// Normalizing never panics, gives lowercase ASCII-folded tokens, and is stable.
    #[test]
    fn normalizing_is_stable(text in "\\PC{0,500}") {
        let once = normalize::fold(&text);
        prop_assert_eq!(normalize::fold(&once), once.clone());
        prop_assert!(!once.starts_with(' ') && !once.ends_with(' ') && !once.contains("  "));
    }

    /// Button data: whatever arrives, decoding never panics; what we encode fits and round-trips.
    #[test]
    fn button_data_is_safe(data in "\\PC{0,100}", topic in "[a-z0-9-]{1,40}") {
        let _ = Action::decode(&data);
        let a = Action::Topic(topic);
        let encoded = a.encode();
        prop_assert!(encoded.len() <= 64);
        prop_assert_eq!(Action::decode(&encoded), Some(a));
    }
}
