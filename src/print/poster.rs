//! A poster for a wall in a dormitory, a market or a consulate: A4 portrait, the topic's title and
//! three to five key lines of its answer in one language, a QR code of the bot's deep link to
//! that topic and language, the bot's name in text, and the article's dates.

use huquq_engine::content::{Library, Topic};
use huquq_engine::doc::{self, Block};
use huquq_engine::i18n::FluentValue;

use super::svg::{Align, Ink, Svg};
use crate::links::deep_link;

/// A4 in tenths of a millimetre.
const WIDTH: f32 = 2100.0;
const HEIGHT: f32 = 2970.0;
const MARGIN: f32 = 150.0;
const QR: f32 = 720.0;
/// A key line longer than this is cut at a word and ends with "…".
const LINE_MAX: usize = 150;
const BLUE: &str = "#0b3d91";
const INK: Ink = Ink {
    bold: false,
    fill: "#111111",
};

/// The sentences of a paragraph: cut after `.`, `!` or `?` followed by a capital letter or a
/// digit, unless the word before is short (an abbreviation: «ст. 27», «г. Москва»).
fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = text.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        cur.push(*c);
        let ends = matches!(c, '.' | '!' | '?')
            && chars.get(i + 1) == Some(&' ')
            && chars.get(i + 2).is_some_and(|n| n.is_uppercase() || n.is_ascii_digit())
            && cur.split_whitespace().last().is_some_and(|w| w.chars().count() > 4);
        if ends {
            out.push(cur.trim().to_string());
            cur.clear();
        }
    }
    if !cur.trim().is_empty() {
        out.push(cur.trim().to_string());
    }
    out
}

fn shorten(line: &str) -> String {
    if line.chars().count() <= LINE_MAX {
        return line.to_string();
    }
    let cut: String = line.chars().take(LINE_MAX).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{}…", cut.trim_end_matches([',', ';', ':', ' ']))
}

/// Up to five key lines of an article's lead: each list item, and each sentence of a paragraph.
pub fn key_lines(lead: &[Block]) -> Vec<String> {
    let mut out = Vec::new();
    for block in lead {
        match block {
            Block::List { items, .. } => {
                out.extend(
                    items
                        .iter()
                        .filter_map(|item| item.first())
                        .map(|b| doc::plain(std::slice::from_ref(b))),
                );
            }
            Block::Paragraph(runs) => {
                let mut text = String::new();
                doc::inline_plain(runs, &mut text);
                out.extend(sentences(&text.replace('\n', " ")));
            }
            Block::Quote(inner) => out.extend(key_lines(inner)),
            _ => {}
        }
    }
    out.into_iter()
        .map(|l| shorten(l.trim()))
        .filter(|l| !l.is_empty())
        .take(5)
        .collect()
}

/// Draws the title and as many key lines (five down to three) at the largest size that leaves
/// room (ends above `room`) for the QR code block. A title too long for any leaves the smallest.
fn head(svg: &mut Svg, title: &str, lines: &[String], room: f32) {
    let width = WIDTH - 2.0 * MARGIN;
    let fewest = 3.min(lines.len());
    'sizes: for size in [62.0, 56.0, 50.0, 44.0] {
        for count in (fewest..=lines.len()).rev() {
            let mut attempt = Svg::new(WIDTH);
            let end = draw_head(&mut attempt, title, &lines[..count], size, width);
            *svg = attempt;
            if end <= room {
                break 'sizes;
            }
        }
    }
}

fn draw_head(svg: &mut Svg, title: &str, lines: &[String], size: f32, width: f32) -> f32 {
    let title_ink = Ink { bold: true, fill: BLUE };
    svg.rect(0.0, 0.0, WIDTH, 40.0, BLUE, 0.0);
    let mut y = svg.text(MARGIN, MARGIN, width, 112.0, &[(title, title_ink)], Align::Left) + 50.0;
    let bullet = Ink { bold: true, fill: BLUE };
    for line in lines {
        svg.text(MARGIN, y, 60.0, size, &[("•", bullet)], Align::Left);
        y = svg.text(MARGIN + 70.0, y, width - 70.0, size, &[(line, INK)], Align::Left) + size * 0.55;
    }
    y
}

/// The poster of `topic` in `lang` for the bot `bot`, as SVG in millimetres; `None` when the
/// topic has no article in that language.
pub fn svg(lib: &Library, topic: &Topic, lang: &str, bot: &str) -> anyhow::Result<Option<String>> {
    let Some(article) = topic.articles.get(lang) else {
        return Ok(None);
    };
    let chain = lib.chain(lang);
    let link = deep_link(bot, lang, Some(&topic.id));
    let width = WIDTH - 2.0 * MARGIN;
    // From the bottom up: the dates, the bot's name, the scan line, the code.
    let footer_top = HEIGHT - MARGIN - 2.0 * 34.0 * 1.32;
    let qr_top = footer_top - 60.0 - 80.0 * 1.32 - 20.0 - 2.0 * 48.0 * 1.32 - 20.0 - QR;
    let mut svg = Svg::new(WIDTH);
    head(&mut svg, &article.title, &key_lines(&article.lead), qr_top - 40.0);

    super::qr::draw(&mut svg, &link, (WIDTH - QR) / 2.0, qr_top, QR)?;
    let mut y = qr_top + QR + 20.0;
    let scan = lib.i18n.get(&chain, "poster-scan", &[]);
    y = svg.text(MARGIN, y, width, 48.0, &[(&scan, INK)], Align::Center) + 20.0;
    let name = Ink {
        bold: true,
        fill: "#000000",
    };
    svg.text(
        MARGIN,
        y,
        width,
        80.0,
        &[(&format!("Telegram: @{bot}"), name)],
        Align::Center,
    );
    let dates = lib.i18n.get(
        &chain,
        "article-footer",
        &[
            ("reviewed", FluentValue::from(doc::short_date(article.reviewed))),
            ("law", FluentValue::from(doc::short_date(article.law_as_of))),
        ],
    );
    let grey = Ink {
        bold: false,
        fill: "#444444",
    };
    svg.text(MARGIN, footer_top, width, 30.0, &[(&dates, grey)], Align::Left);
    Ok(Some(svg.finish(HEIGHT, Some(("mm", 10.0)))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_are_not_cut_at_abbreviations() {
        assert_eq!(
            sentences("Так говорит ст. 27.5 КоАП. Запишите время. Звоните в г. Москва сразу."),
            vec![
                "Так говорит ст. 27.5 КоАП.",
                "Запишите время.",
                "Звоните в г. Москва сразу."
            ]
        );
    }

    #[test]
    fn key_lines_come_from_lists_and_sentences() {
        let lead = doc::parse("**Не больше 48 часов.** Обычно до трёх часов.\n\n- Запишите время.\n- Просите переводчика.\n- Звоните в консульство.\n- Лишнее.");
        assert_eq!(
            key_lines(&lead),
            vec![
                "Не больше 48 часов.",
                "Обычно до трёх часов.",
                "Запишите время.",
                "Просите переводчика.",
                "Звоните в консульство."
            ]
        );
        let long = "слово ".repeat(60);
        let cut = &key_lines(&doc::parse(&long))[0];
        assert!(cut.chars().count() <= LINE_MAX + 1 && cut.ends_with('…'), "{cut}");
    }
}
