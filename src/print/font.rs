//! The font every picture is drawn with, embedded in the binary: DejaVu Sans, regular and bold
//! (its licence is `assets/fonts/LICENSE-DejaVu.txt`). It has every letter of the four languages
//! (ʻ ʼ ң ө ү ғ ӣ қ ӯ ҳ ҷ and Cyrillic), so a card looks the same wherever it is drawn and no
//! system font is needed. Text is measured here for line breaking, since SVG does not wrap.

use std::sync::{Arc, OnceLock};

use resvg::usvg;

pub const REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
pub const BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");
/// The family name the SVG asks for.
pub const FAMILY: &str = "DejaVu Sans";

pub struct Fonts {
    regular: ttf_parser::Face<'static>,
    bold: ttf_parser::Face<'static>,
    db: Arc<usvg::fontdb::Database>,
}

/// The embedded fonts, parsed once.
pub fn fonts() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        db.load_font_data(REGULAR.to_vec());
        db.load_font_data(BOLD.to_vec());
        db.set_sans_serif_family(FAMILY);
        Fonts {
            regular: ttf_parser::Face::parse(REGULAR, 0).expect("the embedded regular font parses"),
            bold: ttf_parser::Face::parse(BOLD, 0).expect("the embedded bold font parses"),
            db: Arc::new(db),
        }
    })
}

impl Fonts {
    /// Whether both faces draw `c` (rather than an empty box).
    pub fn has_glyph(&self, c: char) -> bool {
        self.regular.glyph_index(c).is_some() && self.bold.glyph_index(c).is_some()
    }

    /// The width of `text` at `size` pixels, without kerning (which only narrows it).
    pub fn width(&self, text: &str, size: f32, bold: bool) -> f32 {
        let face = if bold { &self.bold } else { &self.regular };
        let per_unit = size / f32::from(face.units_per_em());
        text.chars()
            .map(|c| {
                face.glyph_index(c)
                    .and_then(|g| face.glyph_hor_advance(g))
                    .map_or(0.0, f32::from)
            })
            .sum::<f32>()
            * per_unit
    }

    /// Options for reading an SVG that uses only the embedded fonts.
    pub fn options(&self) -> usvg::Options<'static> {
        usvg::Options {
            font_family: FAMILY.to_string(),
            fontdb: self.db.clone(),
            ..usvg::Options::default()
        }
    }
}

/// Whether `c` is drawn: not a control character, not a variation selector or a joiner (which
/// fonts may map to nothing visible), and in the font.
pub fn draws(c: char) -> bool {
    !c.is_control() && !matches!(c, '\u{FE00}'..='\u{FE0F}' | '\u{200D}') && fonts().has_glyph(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn covers_the_letters_of_the_four_languages() {
        let f = fonts();
        for c in "ʻʼңөүғӣқӯҳҷҢӨҮҒӢҚӮҲҶабвгдеёжзийклмнопрстуфхцчшщъыьэюяЁЯ".chars()
        {
            assert!(f.has_glyph(c), "{c} U+{:04X}", u32::from(c));
        }
    }

    #[test]
    fn drops_emoji_and_measures_text() {
        assert!(draws('ҷ') && draws('ʻ') && draws('№'));
        assert!(!draws('🆘') && !draws('\u{FE0F}') && !draws('\u{200D}') && !draws('\u{7}'));
        let f = fonts();
        let one = f.width("ж", 40.0, false);
        assert!(one > 10.0 && one < 40.0, "{one}");
        assert!((f.width("жж", 40.0, false) - 2.0 * one).abs() < 0.01);
        assert!(f.width("ж", 40.0, true) > one);
    }
}
