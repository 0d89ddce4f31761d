//! Markdown to Telegram messages.
//!
//! An article is rendered once, at load time, into `Part`s: each part is one Telegram message, in
//! two forms that carry the same words: `html` for Telegram's HTML parse mode and `plain` for the
//! terminal. Parts are cut at paragraph boundaries so that no part is longer than Telegram's 4096
//! characters; a `---` line forces a cut.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// Telegram's limit on a message's text, in UTF-16 code units after entity parsing.
pub const MESSAGE_LIMIT: usize = 4096;

/// One Telegram message.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Part {
    pub html: String,
    pub plain: String,
}

impl Part {
    pub fn text(plain: &str) -> Part {
        Part {
            html: escape(plain),
            plain: plain.chars().filter(|c| !is_invisible_control(*c)).collect(),
        }
    }
}

/// Telegram-visible length of a text (UTF-16 code units).
pub fn visible_len(plain: &str) -> usize {
    plain.encode_utf16().count()
}

/// Escapes text for Telegram HTML (outside and inside attribute values).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(&mut out, text);
    out
}

/// Escapes text for Telegram HTML, dropping invisible control characters (pasted from word
/// processors; Telegram refuses some of them).
pub fn escape_into(out: &mut String, text: &str) {
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

/// Control characters other than line breaks and tabs.
pub fn is_invisible_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\n' | '\t' | '\r')
}

/// A date as every language writes it in short: 05.02.2025.
pub fn short_date(d: time::Date) -> String {
    format!("{:02}.{:02}.{}", d.day(), u8::from(d.month()), d.year())
}

/// Escapes Markdown punctuation so that text from content files shows as written.
pub fn md_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '*' | '_' | '[' | ']' | '(' | ')' | '<' | '>' | '#' | '`' | '!' | '|' | '~'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Whether a link target is one Telegram users can safely open.
pub fn is_web_link(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://")) && lower.len() > "https://".len()
}

#[derive(Debug, Default)]
struct Block {
    html: String,
    plain: String,
    /// A `---` came before this block: it must start a new message.
    break_before: bool,
}

#[derive(Default)]
struct Renderer {
    blocks: Vec<Block>,
    cur: Block,
    depth: usize,
    /// Per open list: the next number of an ordered list, `None` for bullets.
    lists: Vec<Option<u64>>,
    /// Items seen in each open list.
    items_in_list: Vec<usize>,
    paragraphs_in_item: Vec<usize>,
    quote_depth: usize,
    link_urls: Vec<Option<String>>,
    pending_break: bool,
}

impl Renderer {
    fn push_both(&mut self, html: &str, plain: &str) {
        self.cur.html.push_str(html);
        self.cur.plain.push_str(plain);
    }

    fn text(&mut self, text: &str) {
        escape_into(&mut self.cur.html, text);
        self.cur
            .plain
            .extend(text.chars().filter(|c| !is_invisible_control(*c)));
    }

    fn open_block(&mut self) {
        if self.depth == 0 {
            self.cur = Block {
                break_before: std::mem::take(&mut self.pending_break),
                ..Block::default()
            };
        }
        self.depth += 1;
    }

    fn close_block(&mut self) {
        self.depth = self.depth.saturating_sub(1);
        if self.depth == 0 {
            let block = std::mem::take(&mut self.cur);
            if !block.plain.trim().is_empty() {
                self.blocks.push(block);
            } else if block.break_before {
                self.pending_break = true;
            }
        }
    }

    fn indent(&self) -> String {
        "   ".repeat(self.lists.len().saturating_sub(1))
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Paragraph => {
                if let Some(n) = self.paragraphs_in_item.last_mut() {
                    *n += 1;
                    if *n > 1 {
                        self.push_both("\n", "\n");
                    }
                } else if self.quote_depth > 0 && !self.cur.plain.is_empty() && self.depth > 1 {
                    self.push_both("\n", "\n");
                }
                self.open_block();
            }
            Tag::Heading { .. } => {
                self.open_block();
                self.push_both("<b>", "");
            }
            Tag::BlockQuote(_) => {
                self.open_block();
                if self.quote_depth == 0 {
                    self.push_both("<blockquote>", "");
                }
                self.quote_depth += 1;
            }
            Tag::CodeBlock(_) => {
                self.open_block();
                self.push_both("<pre>", "");
            }
            Tag::List(start) => {
                self.open_block();
                self.lists.push(start);
                self.items_in_list.push(0);
            }
            Tag::Item => {
                self.open_block();
                let indent = self.indent();
                if let Some(n) = self.items_in_list.last_mut() {
                    *n += 1;
                }
                let first_in_block = self.cur.plain.is_empty();
                if !first_in_block {
                    self.push_both("\n", "\n");
                }
                let marker = match self.lists.last_mut() {
                    Some(Some(n)) => {
                        let m = format!("{n}. ");
                        *n += 1;
                        m
                    }
                    _ => "• ".to_string(),
                };
                let line = format!("{indent}{marker}");
                self.push_both(&line, &line);
                self.paragraphs_in_item.push(0);
            }
            Tag::Emphasis => self.push_both("<i>", ""),
            Tag::Strong => self.push_both("<b>", ""),
            Tag::Strikethrough => self.push_both("<s>", ""),
            Tag::Link { dest_url, .. } => {
                if is_web_link(&dest_url) {
                    let mut open = String::from("<a href=\"");
                    escape_into(&mut open, dest_url.trim());
                    open.push_str("\">");
                    self.push_both(&open, "");
                    self.link_urls.push(Some(dest_url.trim().to_string()));
                } else {
                    self.link_urls.push(None);
                }
            }
            Tag::Image { .. } => self.link_urls.push(None),
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph => self.close_block(),
            TagEnd::Heading(_) => {
                self.push_both("</b>", "");
                self.close_block();
            }
            TagEnd::BlockQuote(_) => {
                self.quote_depth -= 1;
                if self.quote_depth == 0 {
                    trim_trailing_newlines(&mut self.cur);
                    self.push_both("</blockquote>", "");
                }
                self.close_block();
            }
            TagEnd::CodeBlock => {
                trim_trailing_newlines(&mut self.cur);
                self.push_both("</pre>", "");
                self.close_block();
            }
            TagEnd::List(_) => {
                self.lists.pop();
                self.items_in_list.pop();
                self.close_block();
            }
            TagEnd::Item => {
                self.paragraphs_in_item.pop();
                self.close_block();
            }
            TagEnd::Emphasis => self.push_both("</i>", ""),
            TagEnd::Strong => self.push_both("</b>", ""),
            TagEnd::Strikethrough => self.push_both("</s>", ""),
            TagEnd::Link => {
                if let Some(Some(url)) = self.link_urls.pop() {
                    self.cur.html.push_str("</a>");
                    if !self.cur.plain.ends_with(url.as_str()) {
                        self.cur.plain.push_str(&format!(" ({url})"));
                    }
                }
            }
            TagEnd::Image => {
                self.link_urls.pop();
            }
            _ => {}
        }
    }

    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(text) => self.inline(|r| r.text(&text)),
            Event::Code(code) => self.inline(|r| {
                r.push_both("<code>", "");
                r.text(&code);
                r.push_both("</code>", "");
            }),
            Event::Html(html) | Event::InlineHtml(html) => self.inline(|r| r.text(&html)),
            Event::SoftBreak => self.inline(|r| r.push_both(" ", " ")),
            Event::HardBreak => self.inline(|r| r.push_both("\n", "\n")),
            Event::Rule if self.depth == 0 => self.pending_break = true,
            Event::TaskListMarker(done) => self.inline(|r| r.text(if done { "☑ " } else { "☐ " })),
            _ => {}
        }
    }

    /// Text outside any block (raw HTML at top level) still gets a block of its own.
    fn inline(&mut self, f: impl FnOnce(&mut Self)) {
        if self.depth == 0 {
            self.open_block();
            f(self);
            self.close_block();
        } else {
            f(self);
        }
    }
}

fn trim_trailing_newlines(block: &mut Block) {
    while block.html.ends_with('\n') {
        block.html.pop();
    }
    while block.plain.ends_with('\n') {
        block.plain.pop();
    }
}

fn parser(markdown: &str) -> Parser<'_> {
    Parser::new_ext(markdown, Options::ENABLE_STRIKETHROUGH)
}

/// Renders Markdown into Telegram messages of at most `MESSAGE_LIMIT` characters.
pub fn render(markdown: &str) -> Vec<Part> {
    render_with_limit(markdown, MESSAGE_LIMIT)
}

pub fn render_with_limit(markdown: &str, limit: usize) -> Vec<Part> {
    let mut r = Renderer::default();
    for event in parser(markdown) {
        r.event(event);
    }
    split(r.blocks, limit)
}

/// The text a reader must be shown from `markdown`: every text, code and HTML run, in order,
/// without the markup. Rendering may add (list markers, link targets) but never drop any of its
/// characters; the property tests and the fuzz target check that with `keeps_all_of`.
pub fn source_text(markdown: &str) -> String {
    let mut out = String::new();
    for event in parser(markdown) {
        if let Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) = event {
            out.push_str(&t);
            out.push(' ');
        }
    }
    out
}

/// Whether every visible character of `source` (not spaces, not control characters) appears in
/// `shown`, in the same order.
pub fn keeps_all_of(shown: &str, source: &str) -> bool {
    let visible = |c: &char| !c.is_whitespace() && !c.is_control();
    let mut shown = shown.chars().filter(visible);
    source.chars().filter(visible).all(|c| shown.any(|s| s == c))
}

/// Joins blocks into messages, cutting between blocks; a block too long for one message is cut at
/// line or word boundaries (and loses its formatting, which cannot be cut safely).
fn split(blocks: Vec<Block>, limit: usize) -> Vec<Part> {
    let mut parts: Vec<Part> = Vec::new();
    let mut cur = Part::default();
    let sep = "\n\n";
    for block in blocks {
        let needed = visible_len(&block.plain) + if cur.plain.is_empty() { 0 } else { visible_len(sep) };
        if !cur.plain.is_empty() && (block.break_before || visible_len(&cur.plain) + needed > limit) {
            parts.push(std::mem::take(&mut cur));
        }
        if visible_len(&block.plain) > limit {
            for chunk in cut_text(&block.plain, limit) {
                parts.push(Part::text(&chunk));
            }
            continue;
        }
        if !cur.plain.is_empty() {
            cur.html.push_str(sep);
            cur.plain.push_str(sep);
        }
        cur.html.push_str(&block.html);
        cur.plain.push_str(&block.plain);
    }
    if !cur.plain.is_empty() {
        parts.push(cur);
    }
    parts
}

/// Packs message blocks (each already valid on its own) into as few messages as fit the limit.
pub fn pack(parts: Vec<Part>) -> Vec<Part> {
    split(
        parts
            .into_iter()
            .map(|p| Block {
                html: p.html,
                plain: p.plain,
                break_before: false,
            })
            .collect(),
        MESSAGE_LIMIT,
    )
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

/// Where in `markdown` each link points, with its byte offset: for content checks.
pub fn links(markdown: &str) -> Vec<(usize, String)> {
    parser(markdown)
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Start(Tag::Link { dest_url, .. }) => Some((range.start, dest_url.to_string())),
            _ => None,
        })
        .collect()
}

/// Markdown the bot cannot show well (raw HTML, images, code blocks, deep headings), with offsets.
pub fn unsupported(markdown: &str) -> Vec<(usize, &'static str)> {
    parser(markdown)
        .into_offset_iter()
        .filter_map(|(event, range)| {
            let what = match event {
                Event::Html(_) | Event::InlineHtml(_) => "raw HTML is shown as text, not as formatting",
                Event::Start(Tag::Image { .. }) => "images are not shown; only their description is",
                Event::Start(Tag::CodeBlock(_)) => "code blocks are hard to read on a phone",
                Event::Start(Tag::Heading {
                    level: HeadingLevel::H1,
                    ..
                }) => "a `#` heading repeats the title; use `##` for sections",
                _ => return None,
            };
            Some((range.start, what))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(md: &str) -> Part {
        let parts = render(md);
        assert_eq!(parts.len(), 1, "{parts:?}");
        parts.into_iter().next().unwrap()
    }

    #[test]
    fn formats_headings_emphasis_links_and_lists() {
        let p = one("## Что делать\n\n**Не подписывайте** *ничего*.\n\n- раз\n- два\n\n1. first\n2. second\n\n[МВД](https://мвд.рф/rkl)");
        assert_eq!(
            p.html,
            "<b>Что делать</b>\n\n<b>Не подписывайте</b> <i>ничего</i>.\n\n• раз\n• два\n\n1. first\n2. second\n\n<a href=\"https://мвд.рф/rkl\">МВД</a>"
        );
        assert_eq!(
            p.plain,
            "Что делать\n\nНе подписывайте ничего.\n\n• раз\n• два\n\n1. first\n2. second\n\nМВД (https://мвд.рф/rkl)"
        );
    }

    #[test]
    fn escapes_html_in_text_and_links() {
        let p = one("a < b & \"c\" <script>x</script> [t](https://e.com/?a=1&b=\"2\")");
        assert!(p
            .html
            .contains("a &lt; b &amp; &quot;c&quot; &lt;script&gt;x&lt;/script&gt;"));
        assert!(p.html.contains("href=\"https://e.com/?a=1&amp;b=&quot;2&quot;\""));
    }

    #[test]
    fn non_web_links_lose_their_tag() {
        let p = one("[call](tel:+74950000000) [js](javascript:alert(1))");
        assert!(!p.html.contains("<a"), "{}", p.html);
        assert_eq!(p.plain, "call js");
    }

    #[test]
    fn quotes_nested_lists_and_rule_breaks() {
        let parts = render("Intro\n\n---\n\n> Я плохо говорю по-русски.\n> Прошу переводчика.\n\n- a\n  - b\n- c");
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].plain, "Intro");
        assert_eq!(
            parts[1].html,
            "<blockquote>Я плохо говорю по-русски. Прошу переводчика.</blockquote>\n\n• a\n   • b\n• c"
        );
    }

    #[test]
    fn long_articles_are_cut_at_paragraphs_within_the_limit() {
        let para = "слово ".repeat(150);
        let md = (0..20)
            .map(|i| format!("**{i}** {para}"))
            .collect::<Vec<_>>()
            .join("\n\n");
        let parts = render(&md);
        assert!(parts.len() > 1);
        for p in &parts {
            assert!(visible_len(&p.plain) <= MESSAGE_LIMIT);
            assert_eq!(p.html.matches("<b>").count(), p.html.matches("</b>").count());
        }
        let words: usize = parts.iter().map(|p| p.plain.matches("слово").count()).sum();
        assert_eq!(words, 20 * 150);
    }

    #[test]
    fn a_single_huge_paragraph_is_cut_without_losing_words() {
        let md = "ж".repeat(5000) + " " + &"x ".repeat(3000);
        let parts = render(&md);
        assert!(parts.len() >= 3);
        let total: usize = parts
            .iter()
            .map(|p| p.plain.chars().filter(|c| *c != ' ').count())
            .sum();
        assert_eq!(total, 5000 + 3000);
        assert!(parts.iter().all(|p| visible_len(&p.plain) <= MESSAGE_LIMIT));
    }

    #[test]
    fn finds_links_and_unsupported_markdown() {
        let md = "# T\n\n[a](ftp://x) <b>x</b>\n\n![img](https://x/y.png)";
        assert_eq!(links(md), vec![(5, "ftp://x".to_string())]);
        // The heading, the opening and closing HTML tags, the image.
        assert_eq!(unsupported(md).len(), 4);
    }
}
