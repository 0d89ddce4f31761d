//! The engine's documents as web HTML: paragraphs, lists, quotes and links as a browser shows
//! them, headings at the level the page gives, every text escaped. It knows no Telegram rule;
//! the Telegram renderer (`telegram/render.rs`) knows no web rule.

use huquq_engine::content::Source;
use huquq_engine::doc::{is_invisible_control, is_web_link, Block, Inline};

/// Escapes text for HTML, in text and in attribute values, dropping invisible control
/// characters pasted from word processors.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(&mut out, text);
    out
}

fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            c if is_invisible_control(c) => {}
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

fn inlines(out: &mut String, runs: &[Inline]) {
    for run in runs {
        match run {
            Inline::Text(t) => escape_into(out, t),
            Inline::Code(t) => {
                out.push_str("<code>");
                escape_into(out, t);
                out.push_str("</code>");
            }
            Inline::Strong(v) => wrapped(out, "strong", v),
            Inline::Emphasis(v) => wrapped(out, "em", v),
            Inline::Strike(v) => wrapped(out, "s", v),
            Inline::Link { url, text } if is_web_link(url) => {
                out.push_str("<a href=\"");
                escape_into(out, url.trim());
                out.push_str("\">");
                inlines(out, text);
                out.push_str("</a>");
            }
            Inline::Link { text, .. } => inlines(out, text),
            Inline::LineBreak => out.push_str("<br>"),
        }
    }
}

fn wrapped(out: &mut String, tag: &str, runs: &[Inline]) {
    out.push_str(&format!("<{tag}>"));
    inlines(out, runs);
    out.push_str(&format!("</{tag}>"));
}

/// One block; `level` is the heading level of a `Heading` block on this page (a `Title` is one
/// level above).
fn block(out: &mut String, b: &Block, level: u8) {
    match b {
        Block::Title(v) => {
            let h = level.saturating_sub(1).max(1);
            out.push_str(&format!("<h{h}>"));
            inlines(out, v);
            out.push_str(&format!("</h{h}>\n"));
        }
        Block::Heading(v) => {
            out.push_str(&format!("<h{level}>"));
            inlines(out, v);
            out.push_str(&format!("</h{level}>\n"));
        }
        Block::Paragraph(v) => {
            out.push_str("<p>");
            inlines(out, v);
            out.push_str("</p>\n");
        }
        Block::Note(v) => {
            out.push_str("<p class=\"note\">");
            inlines(out, v);
            out.push_str("</p>\n");
        }
        Block::Pre(s) => {
            out.push_str("<pre>");
            escape_into(out, s);
            out.push_str("</pre>\n");
        }
        Block::Quote(blocks) => {
            out.push_str("<blockquote>\n");
            for b in blocks {
                block(out, b, level);
            }
            out.push_str("</blockquote>\n");
        }
        Block::List { start, items } => list(out, *start, items, level),
    }
}

fn list(out: &mut String, start: Option<u64>, items: &[Vec<Block>], level: u8) {
    match start {
        Some(1) => out.push_str("<ol>\n"),
        Some(n) => out.push_str(&format!("<ol start=\"{n}\">\n")),
        None => out.push_str("<ul>\n"),
    }
    for item in items {
        out.push_str("<li>");
        // A tight item is its text alone, without a paragraph around it.
        match item.as_slice() {
            [Block::Paragraph(v)] => inlines(out, v),
            blocks => {
                for b in blocks {
                    block(out, b, level);
                }
            }
        }
        out.push_str("</li>\n");
    }
    out.push_str(if start.is_some() { "</ol>\n" } else { "</ul>\n" });
}

/// Blocks as HTML, with `Heading` blocks at level `level` (2 in an article's lead and sections
/// below the page's `h1`, 3 inside a section).
pub fn render(blocks: &[Block], level: u8) -> String {
    let mut out = String::new();
    for b in blocks {
        block(&mut out, b, level);
    }
    out
}

/// An article's sources as a list, each linked when it has a web address.
pub fn sources(list: &[Source]) -> String {
    let mut out = String::from("<ul class=\"sources\">\n");
    for s in list {
        out.push_str("<li>");
        match &s.url {
            Some(url) if is_web_link(url) => {
                out.push_str("<a href=\"");
                escape_into(&mut out, url);
                out.push_str("\">");
                escape_into(&mut out, if s.label.is_empty() { url } else { &s.label });
                out.push_str("</a>");
            }
            _ => escape_into(&mut out, &s.label),
        }
        out.push_str("</li>\n");
    }
    out.push_str("</ul>\n");
    out
}

#[cfg(test)]
mod tests {
    use huquq_engine::doc;

    use super::*;

    #[test]
    fn paragraphs_lists_quotes_and_links() {
        let html = render(
            &doc::parse(
                "**Не подписывайте** *ничего*.\n\n- раз\n- два\n\n3. три\n\n> цитата\n\n[МВД](https://мвд.рф/rkl)",
            ),
            2,
        );
        assert_eq!(
            html,
            "<p><strong>Не подписывайте</strong> <em>ничего</em>.</p>\n<ul>\n<li>раз</li>\n<li>два</li>\n</ul>\n\
             <ol start=\"3\">\n<li>три</li>\n</ol>\n<blockquote>\n<p>цитата</p>\n</blockquote>\n\
             <p><a href=\"https://мвд.рф/rkl\">МВД</a></p>\n"
        );
    }

    #[test]
    fn headings_take_the_pages_level() {
        let blocks = vec![Block::Title(doc::text("T")), Block::Heading(doc::text("H"))];
        assert_eq!(render(&blocks, 3), "<h2>T</h2>\n<h3>H</h3>\n");
    }

    #[test]
    fn everything_is_escaped() {
        let html = render(
            &doc::parse("a < b & \"c\" <script>x</script> [t](https://e.com/?a=1&b=\"2\") [js](javascript:alert(1))"),
            2,
        );
        assert!(
            html.contains("a &lt; b &amp; &quot;c&quot; &lt;script&gt;x&lt;/script&gt;"),
            "{html}"
        );
        assert!(
            html.contains("href=\"https://e.com/?a=1&amp;b=&quot;2&quot;\""),
            "{html}"
        );
        assert!(!html.contains("javascript"), "{html}");
        assert_eq!(escape("it's\u{7}"), "it&#39;s");
    }

    #[test]
    fn sources_link_their_label() {
        let list = [
            Source::parse("ст. 27.5 КоАП РФ — https://www.consultant.ru/x"),
            Source::parse("ст. 51 Конституции"),
        ];
        let html = sources(&list);
        assert!(
            html.contains("<a href=\"https://www.consultant.ru/x\">ст. 27.5 КоАП РФ</a>"),
            "{html}"
        );
        assert!(html.contains("<li>ст. 51 Конституции</li>"), "{html}");
    }
}
