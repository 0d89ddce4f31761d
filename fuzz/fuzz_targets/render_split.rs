//! The Markdown parser and the Telegram renderer on any text an editor can write: every message
//! is valid Telegram HTML, at most the limit long, and no character of the text is lost.
#![no_main]

use huquq::telegram::render::{render_with_limit, visible_len, MESSAGE_LIMIT};
use huquq::telegram::validate::validate;
use huquq_engine::doc;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The first two bytes choose the limit (small limits reach the cutting code with short input).
    let (limit, text) = match data {
        [a, b, rest @ ..] => (40 + usize::from(u16::from_le_bytes([*a, *b])) % (MESSAGE_LIMIT - 39), rest),
        _ => return,
    };
    let Ok(markdown) = std::str::from_utf8(text) else {
        return;
    };
    let parts = render_with_limit(&doc::parse(markdown), limit);
    let mut shown = String::new();
    for part in &parts {
        let visible = match validate(&part.html) {
            Ok(v) => v,
            Err(e) => panic!("invalid Telegram HTML ({e}): {:?}", part.html),
        };
        assert!(visible_len(&part.plain) <= limit, "a part is {} long", visible_len(&part.plain));
        assert!(visible_len(&visible) <= visible_len(&part.plain));
        shown.push_str(&part.plain);
        shown.push(' ');
    }
    assert!(doc::keeps_all_of(&shown, &doc::source_text(markdown)), "text lost");
});
