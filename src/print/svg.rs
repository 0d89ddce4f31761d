//! A small SVG writer for the pictures: boxes, and paragraphs of styled text broken into lines
//! with the embedded font's measures (SVG itself does not wrap text). Every text is escaped and
//! keeps only what the font can draw (`font::draws`: emoji are left out).

use std::fmt::Write as _;

use super::font::{self, fonts};

/// How a run of text is inked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ink {
    pub bold: bool,
    pub fill: &'static str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
}

/// The lines of a paragraph; each line is pieces of text with their ink.
pub type Lines = Vec<Vec<(String, Ink)>>;

/// Line height as a multiple of the font size.
pub const LEADING: f32 = 1.32;

/// A word: pieces in different inks with no space between them ("РФ)" then ".").
#[derive(Default)]
struct Word {
    pieces: Vec<(String, Ink)>,
}

impl Word {
    fn push(&mut self, c: char, ink: Ink) {
        match self.pieces.last_mut() {
            Some((s, i)) if *i == ink => s.push(c),
            _ => self.pieces.push((c.to_string(), ink)),
        }
    }

    fn width(&self, size: f32) -> f32 {
        self.pieces.iter().map(|(s, i)| fonts().width(s, size, i.bold)).sum()
    }
}

fn words(runs: &[(&str, Ink)]) -> Vec<Word> {
    let mut out = Vec::new();
    let mut cur = Word::default();
    // A run that ends is not a space: the next run may go on with the same word.
    for (text, ink) in runs {
        for c in text.chars() {
            if c.is_whitespace() {
                out.push(std::mem::take(&mut cur));
            } else if font::draws(c) {
                cur.push(c, *ink);
            }
        }
    }
    out.push(cur);
    out.retain(|w| !w.pieces.is_empty());
    out
}

/// Cuts a word wider than a line into pieces that fit (a long web address).
fn split_word(word: Word, size: f32, width: f32) -> Vec<Word> {
    let mut out = Vec::new();
    let mut cur = Word::default();
    for (text, ink) in word.pieces {
        for c in text.chars() {
            let mut next = Word {
                pieces: cur.pieces.clone(),
            };
            next.push(c, ink);
            if next.width(size) > width && !cur.pieces.is_empty() {
                out.push(std::mem::take(&mut cur));
                cur.push(c, ink);
            } else {
                cur = next;
            }
        }
    }
    if !cur.pieces.is_empty() {
        out.push(cur);
    }
    out
}

/// Adds text to a line, to the last piece when it has the same ink.
fn push_piece(line: &mut Vec<(String, Ink)>, text: String, ink: Ink) {
    match line.last_mut() {
        Some((s, i)) if *i == ink => s.push_str(&text),
        _ => line.push((text, ink)),
    }
}

/// Breaks runs into lines no wider than `width` at font size `size`, between words.
pub fn wrap(runs: &[(&str, Ink)], size: f32, width: f32) -> Lines {
    let space = fonts().width(" ", size, false);
    let mut lines: Lines = Vec::new();
    let mut line: Vec<(String, Ink)> = Vec::new();
    let mut used = 0.0;
    for word in words(runs) {
        let parts = if word.width(size) > width {
            split_word(word, size, width)
        } else {
            vec![word]
        };
        for w in parts {
            let ww = w.width(size);
            if !line.is_empty() && used + space + ww > width {
                lines.push(std::mem::take(&mut line));
                used = 0.0;
            }
            if !line.is_empty() {
                push_piece(&mut line, " ".to_string(), w.pieces[0].1);
                used += space;
            }
            for (text, ink) in w.pieces {
                push_piece(&mut line, text, ink);
            }
            used += ww;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Escapes text for XML.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// An SVG picture being drawn, in pixels (or in tenths of a millimetre for print).
pub struct Svg {
    width: f32,
    body: String,
}

impl Svg {
    pub fn new(width: f32) -> Svg {
        Svg {
            width,
            body: String::new(),
        }
    }

    pub fn width(&self) -> f32 {
        self.width
    }

    pub fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, fill: &str, radius: f32) {
        let _ = write!(
            self.body,
            r#"<rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}" rx="{radius:.1}" fill="{fill}"/>"#
        );
    }

    /// A path in the picture's units (the QR code's modules).
    pub fn path(&mut self, d: &str, fill: &str) {
        let _ = write!(
            self.body,
            r#"<path d="{d}" fill="{fill}" shape-rendering="crispEdges"/>"#
        );
    }

    /// Draws runs broken into lines `width` wide, the first line's top at `top`; returns where
    /// the last line ends.
    pub fn text(&mut self, x: f32, top: f32, width: f32, size: f32, runs: &[(&str, Ink)], align: Align) -> f32 {
        let lines = wrap(runs, size, width);
        let step = size * LEADING;
        for (i, line) in lines.iter().enumerate() {
            let baseline = top + size * 0.98 + step * i as f32;
            let (ax, anchor) = match align {
                Align::Left => (x, "start"),
                Align::Center => (x + width / 2.0, "middle"),
            };
            let _ = write!(
                self.body,
                r#"<text x="{ax:.1}" y="{baseline:.1}" font-family="{}" font-size="{size:.1}" text-anchor="{anchor}" xml:space="preserve">"#,
                font::FAMILY
            );
            for (text, ink) in line {
                let weight = if ink.bold { "bold" } else { "normal" };
                let _ = write!(
                    self.body,
                    r#"<tspan font-weight="{weight}" fill="{}">{}</tspan>"#,
                    ink.fill,
                    escape(text)
                );
            }
            self.body.push_str("</text>");
        }
        top + step * lines.len() as f32
    }

    /// The finished document, `height` tall; `unit` gives its printed size ("mm" for a poster
    /// drawn in tenths of a millimetre), or `None` for pixels.
    pub fn finish(self, height: f32, unit: Option<(&str, f32)>) -> String {
        let (w, h) = match unit {
            Some((u, per)) => (format!("{}{u}", self.width / per), format!("{}{u}", height / per)),
            None => (format!("{}", self.width), format!("{height}")),
        };
        format!(
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {} {height}"><rect width="100%" height="100%" fill="#ffffff"/>{}</svg>"##,
            self.width, self.body
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAIN: Ink = Ink {
        bold: false,
        fill: "#000",
    };
    const CITE: Ink = Ink {
        bold: true,
        fill: "#00f",
    };

    fn text(lines: &Lines) -> Vec<String> {
        lines
            .iter()
            .map(|l| l.iter().map(|(s, _)| s.as_str()).collect())
            .collect()
    }

    #[test]
    fn wraps_between_words_within_the_width() {
        let para = "Прошу переводчика с узбекского языка и защитника. ".repeat(4);
        let lines = wrap(&[(&para, PLAIN)], 40.0, 600.0);
        assert!(lines.len() > 3);
        for l in text(&lines) {
            assert!(fonts().width(&l, 40.0, false) <= 600.0, "{l}");
        }
        assert_eq!(text(&lines).join(" "), para.trim());
    }

    #[test]
    fn inks_change_inside_a_word_without_a_space() {
        let lines = wrap(
            &[("языка ", PLAIN), ("(ч. 2 КоАП РФ)", CITE), (".", PLAIN)],
            40.0,
            2000.0,
        );
        assert_eq!(text(&lines), vec!["языка (ч. 2 КоАП РФ)."]);
        assert_eq!(lines[0].last().unwrap(), &(".".to_string(), PLAIN));
    }

    #[test]
    fn emoji_are_left_out() {
        let lines = wrap(&[("🆘  Меня\u{FE0F} задерживают 🪪", PLAIN)], 40.0, 2000.0);
        assert_eq!(text(&lines), vec!["Меня задерживают"]);
    }

    #[test]
    fn a_long_address_is_cut_to_fit() {
        let url = format!("https://example.org/{}", "a".repeat(200));
        let lines = wrap(&[(&url, PLAIN)], 40.0, 500.0);
        assert!(lines.len() > 2);
        assert_eq!(text(&lines).concat(), url);
    }

    #[test]
    fn escapes_markup() {
        let mut svg = Svg::new(100.0);
        svg.text(0.0, 0.0, 100.0, 10.0, &[("a<b & \"c\"", PLAIN)], Align::Left);
        let doc = svg.finish(20.0, None);
        assert!(doc.contains("a&lt;b &amp; &quot;c&quot;"), "{doc}");
    }
}
