//! The Markdown renderer and splitter on any text an editor can write: every part is valid
//! Telegram HTML, at most the limit long, and no character of the text is lost.
#![no_main]

use huquq_engine::render::{self, visible_len, MESSAGE_LIMIT};
use huquq_engine::telegram_html;
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
    let parts = render::render_with_limit(markdown, limit);
    let mut shown = String::new();
    for part in &parts {
        let visible = match telegram_html::validate(&part.html) {
            Ok(v) => v,
            Err(e) => panic!("invalid Telegram HTML ({e}): {:?}", part.html),
        };
        assert!(visible_len(&part.plain) <= limit, "a part is {} long", visible_len(&part.plain));
        assert!(visible_len(&visible) <= visible_len(&part.plain));
        shown.push_str(&part.plain);
        shown.push(' ');
    }
    assert!(render::keeps_all_of(&shown, &render::source_text(markdown)), "text lost");
});
