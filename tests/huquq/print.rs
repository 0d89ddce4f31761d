//! The pictures: the card for the officer and the posters, drawn from the fixture guide through
//! the command line. The QR code on a poster must decode to the exact deep link, and the embedded
//! font must have a glyph for every letter the content uses.

use std::path::Path;

use huquq::print::font::fonts;
use resvg::tiny_skia::Pixmap;

use crate::support::*;

fn decode_qr(png: &Path) -> Vec<String> {
    let pixmap = Pixmap::load_png(png).expect("a PNG");
    let (w, h) = (pixmap.width() as usize, pixmap.height() as usize);
    let data = pixmap.data();
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| {
        let p = &data[(y * w + x) * 4..][..3];
        ((u16::from(p[0]) + u16::from(p[1]) + u16::from(p[2])) / 3) as u8
    });
    img.detect_grids()
        .into_iter()
        .map(|g| g.decode().expect("the code decodes").1)
        .collect()
}

#[test]
fn a_posters_qr_code_opens_the_bot_at_its_topic_and_language() {
    let dir = tempfile::tempdir().unwrap();
    for (topic, lang) in [("detention-48h", "uz"), ("register-check", "tg")] {
        let png = dir.path().join(format!("{topic}-{lang}.png"));
        let out = huquq_guide(
            &[
                "poster",
                "--topic",
                topic,
                "--lang",
                lang,
                "--bot",
                "@HuquqTestBot",
                "-o",
                png.to_str().unwrap(),
            ],
            "",
        );
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let pixmap = Pixmap::load_png(&png).unwrap();
        assert_eq!((pixmap.width(), pixmap.height()), (1240, 1754), "A4 at 150 dpi");
        assert_eq!(
            decode_qr(&png),
            vec![format!("https://t.me/HuquqTestBot?start={lang}_{topic}")]
        );
    }
}

#[test]
fn posters_for_every_topic_and_language_as_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let out = huquq_guide(
        &[
            "poster",
            "--all",
            "--bot",
            "HuquqTestBot",
            "-o",
            dir.path().to_str().unwrap(),
        ],
        "",
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let g = guide().lib();
    for topic in &g.topics {
        for lang in LANGS {
            let pdf = std::fs::read(dir.path().join(format!("{}-{lang}.pdf", topic.id))).unwrap();
            assert!(pdf.starts_with(b"%PDF-"), "{}-{lang}", topic.id);
            // A4 in points, and the text kept as text in the embedded font.
            let text = String::from_utf8_lossy(&pdf);
            assert!(text.contains("/MediaBox [0 0 595.2"), "{}-{lang}: not A4", topic.id);
            assert!(
                text.contains("DejaVuSans"),
                "{}-{lang}: the font is not embedded",
                topic.id
            );
        }
    }
    assert_eq!(stdout(&out).lines().count(), g.topics.len() * LANGS.len());
}

#[test]
fn the_card_is_a_tall_picture_for_each_country() {
    let dir = tempfile::tempdir().unwrap();
    for (country, lang) in [("UZ", "uz"), ("KG", "ky"), ("TJ", "ru")] {
        let png = dir.path().join(format!("card-{country}.png"));
        let out = huquq_guide(
            &[
                "card",
                "--country",
                country,
                "--lang",
                lang,
                "-o",
                png.to_str().unwrap(),
            ],
            "",
        );
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let pixmap = Pixmap::load_png(&png).unwrap();
        assert!(pixmap.width() >= 1080 && pixmap.height() > pixmap.width(), "portrait");
    }
    let out = huquq_guide(&["card", "--country", "KZ", "-o", "/nonexistent/card.png"], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no wording for `KZ`"));
}

/// Emoji and the marks that join them: the bot's buttons use them; pictures leave them out.
fn decoration(c: char) -> bool {
    matches!(u32::from(c), 0x1F000..=0x1FAFF | 0x2190..=0x21FF | 0x2300..=0x23FF | 0x2600..=0x27BF | 0x2B00..=0x2BFF | 0xFE0E | 0xFE0F | 0x200D | 0x20E3)
}

fn chars_without_glyph(dir: &Path, missing: &mut std::collections::BTreeMap<char, String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            chars_without_glyph(&path, missing);
        } else if let Ok(text) = std::fs::read_to_string(&path) {
            for c in text.chars() {
                if !c.is_whitespace() && !c.is_control() && !decoration(c) && !fonts().has_glyph(c) {
                    missing.entry(c).or_insert_with(|| path.display().to_string());
                }
            }
        }
    }
}

#[test]
fn the_embedded_font_draws_every_letter_of_the_content() {
    // Articles, the card, consulates and the bot's strings, shipped and fixture alike.
    let mut missing = std::collections::BTreeMap::new();
    for dir in ["content", "locales", "tests/fixtures/guide"] {
        chars_without_glyph(&root().join(dir), &mut missing);
    }
    assert!(missing.is_empty(), "no glyph in the embedded font for: {missing:?}");
    for c in "ʻʼңөүғӣқӯҳҷ".chars() {
        assert!(fonts().has_glyph(c), "{c}");
    }
}
