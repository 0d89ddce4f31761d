//! The engine's documents as Telegram messages: HTML parse mode, only the tags Telegram allows,
//! at most 4096 characters (UTF-16 units, counted after the tags are taken out). A document is
//! normally one message; one too long for that is cut between blocks, and a single block too
//! long is cut at line or word boundaries without its formatting, which cannot be cut safely.

use huquq_engine::doc::{is_invisible_control, is_web_link, Block, Inline};

/// Telegram's limit on a message's text, in UTF-16 code units after entity parsing.
pub const MESSAGE_LIMIT: usize = 4096;

/// One Telegram message: the HTML to send and the text Telegram will show.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Message {
    pub html: String,
    pub plain: String,
}

impl Message {
    fn text(plain: &str) -> Message {
        Message {
            html: escape(plain),
            plain: plain.chars().filter(|c| !is_invisible_control(*c)).collect(),
        }
    }
}

/// Telegram-visible length of a text (UTF-16 code units).
pub fn visible_len(plain: &str) -> usize {
    plain.encode_utf16().count()
}

/// Escapes text for Telegram HTML (outside and inside attribute values), dropping invisible
/// control characters, some of which Telegram refuses.
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
            c => out.push(c),
        }
    }
}

/// A block rendered on its own, in both forms.
#[derive(Default)]
struct Piece {
    html: String,
    plain: String,
    /// Inside a quote: Telegram does not nest quotes, so an inner one is shown as its text.
    quoted: bool,
}

impl Piece {
    fn push(&mut self, html: &str, plain: &str) {
        self.html.push_str(html);
        self.plain.push_str(plain);
    }

    fn text(&mut self, text: &str) {
        escape_into(&mut self.html, text);
        self.plain.extend(text.chars().filter(|c| !is_invisible_control(*c)));
    }

    fn inlines(&mut self, runs: &[Inline]) {
        for run in runs {
            match run {
                Inline::Text(t) => self.text(t),
                Inline::Code(t) => {
                    self.push("<code>", "");
                    self.text(t);
                    self.push("</code>", "");
                }
                Inline::Strong(v) => self.wrapped("b", v),
                Inline::Emphasis(v) => self.wrapped("i", v),
                Inline::Strike(v) => self.wrapped("s", v),
                Inline::Link { url, text } if is_web_link(url) => {
                    self.html.push_str("<a href=\"");
                    escape_into(&mut self.html, url.trim());
                    self.html.push_str("\">");
                    self.inlines(text);
                    self.html.push_str("</a>");
                }
                Inline::Link { text, .. } => self.inlines(text),
                Inline::LineBreak => self.push("\n", "\n"),
            }
        }
    }

    fn wrapped(&mut self, tag: &str, runs: &[Inline]) {
        self.push(&format!("<{tag}>"), "");
        self.inlines(runs);
        self.push(&format!("</{tag}>"), "");
    }

    fn block(&mut self, block: &Block, indent: &str) {
        match block {
            Block::Title(v) | Block::Heading(v) => self.wrapped("b", v),
            Block::Note(v) => self.wrapped("i", v),
            Block::Paragraph(v) => {
                self.push(indent, indent);
                self.inlines(v);
            }
            Block::Pre(s) => {
                self.push("<pre>", "");
                self.text(s);
                self.push("</pre>", "");
            }
            Block::Quote(blocks) => {
                let outer = !self.quoted;
                if outer {
                    self.push("<blockquote>", "");
                    self.quoted = true;
                }
                for (i, b) in blocks.iter().enumerate() {
                    if i > 0 {
                        self.push("\n", "\n");
                    }
                    self.block(b, indent);
                }
                if outer {
                    self.push("</blockquote>", "");
                    self.quoted = false;
                }
            }
            Block::List { start, items } => {
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.push("\n", "\n");
                    }
                    let marker = match start {
                        Some(n) => format!("{indent}{}. ", n + i as u64),
                        None => format!("{indent}• "),
                    };
                    self.push(&marker, &marker);
                    let inner = format!("{indent}   ");
                    for (j, b) in item.iter().enumerate() {
                        if j > 0 {
                            self.push("\n", "\n");
                        }
                        self.block(b, if j == 0 { "" } else { &inner });
                    }
                }
            }
        }
    }
}

fn piece(block: &Block) -> Piece {
    let mut p = Piece::default();
    p.block(block, "");
    p
}

/// Renders a document as Telegram messages: one when it fits, more when it does not.
pub fn render(blocks: &[Block]) -> Vec<Message> {
    render_with_limit(blocks, MESSAGE_LIMIT)
}

pub fn render_with_limit(blocks: &[Block], limit: usize) -> Vec<Message> {
    let mut out: Vec<Message> = Vec::new();
    let mut cur = Message::default();
    let sep = "\n\n";
    for block in blocks {
        let p = piece(block);
        if p.plain.trim().is_empty() {
            continue;
        }
        let needed = visible_len(&p.plain) + if cur.plain.is_empty() { 0 } else { visible_len(sep) };
        if !cur.plain.is_empty() && visible_len(&cur.plain) + needed > limit {
            out.push(std::mem::take(&mut cur));
        }
        if visible_len(&p.plain) > limit {
            for chunk in cut_text(&p.plain, limit) {
                out.push(Message::text(&chunk));
            }
            continue;
        }
        if !cur.plain.is_empty() {
            cur.html.push_str(sep);
            cur.plain.push_str(sep);
        }
        cur.html.push_str(&p.html);
        cur.plain.push_str(&p.plain);
    }
    if !cur.plain.is_empty() {
        out.push(cur);
    }
    out
}

/// Cuts plain text into pieces of at most `limit` UTF-16 units, preferring line breaks, then
/// spaces; no character is lost except the whitespace at a cut.
pub fn cut_text(text: &str, limit: usize) -> Vec<String> {
    let limit = limit.max(2);
    let mut out = Vec::new();
    let mut rest = text.trim();
    while visible_len(rest) > limit {
        // The longest prefix that fits.
        let mut units = 0;
        let mut end = 0;
        for (i, c) in rest.char_indices() {
            if units + c.len_utf16() > limit {
                break;
            }
            units += c.len_utf16();
            end = i + c.len_utf8();
        }
        let window = &rest[..end];
        let cut = window
            .rfind('\n')
            .filter(|&i| i > end / 2)
            .or_else(|| window.rfind(' ').filter(|&i| i > end / 2))
            .unwrap_or(end);
        let (head, tail) = rest.split_at(cut);
        if !head.trim().is_empty() {
            out.push(head.trim_end().to_string());
        }
        rest = tail.trim_start();
    }
    if !rest.is_empty() {
        out.push(rest.to_string());
    }
    out
}

#[cfg(test)]
mod tests {
    use huquq_engine::doc;

    use super::*;

    fn one(md: &str) -> Message {
        let msgs = render(&doc::parse(md));
        assert_eq!(msgs.len(), 1, "{msgs:?}");
        msgs.into_iter().next().unwrap()
    }

    #[test]
    fn formats_emphasis_links_and_lists() {
        let m =
            one("**Не подписывайте** *ничего*.\n\n- раз\n- два\n\n1. first\n2. second\n\n[МВД](https://мвд.рф/rkl)");
        assert_eq!(
            m.html,
            "<b>Не подписывайте</b> <i>ничего</i>.\n\n• раз\n• два\n\n1. first\n2. second\n\n<a href=\"https://мвд.рф/rkl\">МВД</a>"
        );
        assert_eq!(
            m.plain,
            "Не подписывайте ничего.\n\n• раз\n• два\n\n1. first\n2. second\n\nМВД"
        );
    }

    #[test]
    fn titles_and_notes() {
        let blocks = vec![
            Block::Title(doc::text("⏱ 48 часов")),
            doc::para("a < b"),
            Block::Note(doc::text("Проверено 02.12.2026")),
        ];
        let m = &render(&blocks)[0];
        assert_eq!(m.html, "<b>⏱ 48 часов</b>\n\na &lt; b\n\n<i>Проверено 02.12.2026</i>");
    }

    #[test]
    fn escapes_html_in_text_and_links() {
        let m = one("a < b & \"c\" <script>x</script> [t](https://e.com/?a=1&b=\"2\")");
        assert!(m
            .html
            .contains("a &lt; b &amp; &quot;c&quot; &lt;script&gt;x&lt;/script&gt;"));
        assert!(m.html.contains("href=\"https://e.com/?a=1&amp;b=&quot;2&quot;\""));
    }

    #[test]
    fn quotes_and_nested_lists() {
        let m = one("> Я плохо говорю по-русски.\n> Прошу переводчика.\n\n- a\n  - b\n- c");
        assert_eq!(
            m.html,
            "<blockquote>Я плохо говорю по-русски. Прошу переводчика.</blockquote>\n\n• a\n   • b\n• c"
        );
    }

    #[test]
    fn long_documents_are_cut_between_blocks_within_the_limit() {
        let para = "слово ".repeat(150);
        let md = (0..20)
            .map(|i| format!("**{i}** {para}"))
            .collect::<Vec<_>>()
            .join("\n\n");
        let msgs = render(&doc::parse(&md));
        assert!(msgs.len() > 1);
        for m in &msgs {
            assert!(visible_len(&m.plain) <= MESSAGE_LIMIT);
            assert_eq!(m.html.matches("<b>").count(), m.html.matches("</b>").count());
        }
        let words: usize = msgs.iter().map(|m| m.plain.matches("слово").count()).sum();
        assert_eq!(words, 20 * 150);
    }

    #[test]
    fn a_single_huge_paragraph_is_cut_without_losing_words() {
        let md = "ж".repeat(5000) + " " + &"x ".repeat(3000);
        let msgs = render(&doc::parse(&md));
        assert!(msgs.len() >= 3);
        let total: usize = msgs.iter().map(|m| m.plain.chars().filter(|c| *c != ' ').count()).sum();
        assert_eq!(total, 5000 + 3000);
        assert!(msgs.iter().all(|m| visible_len(&m.plain) <= MESSAGE_LIMIT));
    }
}
