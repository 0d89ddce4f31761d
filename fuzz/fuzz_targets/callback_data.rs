//! Button data as a forged client can send it: decoding never panics, and whatever decodes
//! encodes back to data Telegram accepts (at most 64 bytes) that decodes to the same action.
#![no_main]

use huquq_engine::dialogue::Action;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Some(action) = Action::decode(text) {
        let encoded = action.encode();
        assert!(encoded.len() <= 64, "{encoded:?} is over 64 bytes");
        assert_eq!(Action::decode(&encoded), Some(action));
    }
});
