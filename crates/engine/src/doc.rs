//! The neutral document model every front end renders: blocks of formatted text, parsed from the
//! editors' Markdown or built by the dialogue. It knows no front end's rules: the Telegram
//! adapter turns it into Telegram HTML, the terminal into plain text (`plain`), the website into
//! web HTML.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// A run of text with its formatting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inline {
    Text(String),
    Strong(Vec<Inline>),
    Emphasis(Vec<Inline>),
    Strike(Vec<Inline>),
    Code(String),
    /// A link to a web address (`http` or `https`; other targets are kept as their text only).
    Link {
        url: String,
        text: Vec<Inline>,
    },
    LineBreak,
}

/// A paragraph-level piece of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A heading inside a page (the page's own title is a `Title`).
    Heading(Vec<Inline>),
    /// What a page is: an article's title, a contact card's name.
    Title(Vec<Inline>),
    Paragraph(Vec<Inline>),
    /// `start` is the first number of an ordered list, `None` for bullets.
    List {
        start: Option<u64>,
        items: Vec<Vec<Block>>,
    },
    Quote(Vec<Block>),
    /// Preformatted text, shown as written.
    Pre(String),
    /// A small print line: dates, a verification status.
    Note(Vec<Inline>),
}

/// Plain text as one inline run.
pub fn text(s: impl Into<String>) -> Vec<Inline> {
    vec![Inline::Text(s.into())]
}

/// A paragraph of plain text.
pub fn para(s: impl Into<String>) -> Block {
    Block::Paragraph(text(s))
}

/// Paragraphs from a text of the bot's own strings: blank lines separate paragraphs, single line
/// breaks stay line breaks; no Markdown is read, so the text shows as written.
pub fn paras(s: &str) -> Vec<Block> {
    s.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut runs = Vec::new();
            for (i, line) in p.lines().enumerate() {
                if i > 0 {
                    runs.push(Inline::LineBreak);
                }
                runs.push(Inline::Text(line.to_string()));
            }
            Block::Paragraph(runs)
        })
        .collect()
}

/// Whether a link target is a web address a reader can safely open.
pub fn is_web_link(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://")) && lower.len() > "https://".len()
}

/// Control characters other than line breaks and tabs: pasted from word processors, invisible,
/// and refused by some front ends.
pub fn is_invisible_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\n' | '\t' | '\r')
}

/// A date as every language writes it in short: 05.02.2025.
pub fn short_date(d: time::Date) -> String {
    format!("{:02}.{:02}.{}", d.day(), u8::from(d.month()), d.year())
}

fn parser(markdown: &str) -> Parser<'_> {
    Parser::new_ext(markdown, Options::ENABLE_STRIKETHROUGH)
}

/// What is being built while the Markdown events arrive.
enum Open {
    Blocks(Vec<Block>),
    Inlines(Vec<Inline>),
}

#[derive(Default)]
struct Builder {
    /// Open containers, innermost last; the first is the document.
    stack: Vec<(Frame, Open)>,
}

#[derive(Debug, Clone)]
enum Frame {
    Document,
    Paragraph,
    Heading,
    Quote,
    List(Option<u64>),
    Item,
    Pre,
    Strong,
    Emphasis,
    Strike,
    Link(Option<String>),
    Skip,
}

impl Builder {
    /// Adds a run to the open paragraph; text outside one (a tight list item, a quote) opens one.
    fn push_inline(&mut self, inline: Inline) {
        match self.stack.last_mut() {
            Some((_, Open::Inlines(v))) => v.push(inline),
            _ => self.stack.push((Frame::Paragraph, Open::Inlines(vec![inline]))),
        }
    }

    /// Closes an implicit paragraph left open by tight text.
    fn close_implicit(&mut self) {
        if matches!(self.stack.last(), Some((Frame::Paragraph, Open::Inlines(_)))) {
            self.close();
        }
    }

    fn open(&mut self, frame: Frame) {
        let open = match frame {
            Frame::Document | Frame::Quote | Frame::List(_) | Frame::Item => Open::Blocks(Vec::new()),
            _ => Open::Inlines(Vec::new()),
        };
        if matches!(open, Open::Blocks(_)) || matches!(frame, Frame::Paragraph | Frame::Heading | Frame::Pre) {
            self.close_implicit();
        }
        self.stack.push((frame, open));
    }

    fn add_block(&mut self, block: Block) {
        if let Some((_, Open::Blocks(v))) = self.stack.last_mut() {
            v.push(block);
        }
    }

    fn close(&mut self) {
        let Some((frame, open)) = self.stack.pop() else { return };
        match (frame, open) {
            (Frame::Paragraph, Open::Inlines(v)) => {
                let v = trim_inlines(v);
                if !v.is_empty() {
                    self.add_block(Block::Paragraph(v));
                }
            }
            (Frame::Heading, Open::Inlines(v)) => {
                let v = trim_inlines(v);
                if !v.is_empty() {
                    self.add_block(Block::Heading(v));
                }
            }
            (Frame::Pre, Open::Inlines(v)) => {
                let mut s = String::new();
                for i in v {
                    if let Inline::Text(t) = i {
                        s.push_str(&t);
                    }
                }
                let s = s.trim_end_matches('\n').to_string();
                if !s.trim().is_empty() {
                    self.add_block(Block::Pre(s));
                }
            }
            (Frame::Quote, Open::Blocks(v)) if !v.is_empty() => self.add_block(Block::Quote(v)),
            (Frame::List(start), Open::Blocks(v)) => {
                let items = v
                    .into_iter()
                    .filter_map(|b| match b {
                        Block::Quote(inner) => Some(inner),
                        _ => None,
                    })
                    .filter(|item| !item.is_empty())
                    .collect::<Vec<_>>();
                if !items.is_empty() {
                    self.add_block(Block::List { start, items });
                }
            }
            // An item travels to its list wrapped as a quote, unwrapped above.
            (Frame::Item, Open::Blocks(v)) => self.add_block(Block::Quote(v)),
            (Frame::Strong, Open::Inlines(v)) if !v.is_empty() => self.push_inline(Inline::Strong(v)),
            (Frame::Emphasis, Open::Inlines(v)) if !v.is_empty() => self.push_inline(Inline::Emphasis(v)),
            (Frame::Strike, Open::Inlines(v)) if !v.is_empty() => self.push_inline(Inline::Strike(v)),
            (Frame::Link(Some(url)), Open::Inlines(v)) => {
                let text = if v.is_empty() { text(url.clone()) } else { v };
                self.push_inline(Inline::Link { url, text });
            }
            (Frame::Link(None) | Frame::Skip, Open::Inlines(v)) => {
                for i in v {
                    self.push_inline(i);
                }
            }
            (Frame::Document, open) => self.stack.push((Frame::Document, open)),
            _ => {}
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        let frame = match tag {
            Tag::Paragraph => Frame::Paragraph,
            Tag::Heading { .. } => Frame::Heading,
            Tag::BlockQuote(_) => Frame::Quote,
            Tag::CodeBlock(_) => Frame::Pre,
            Tag::List(start) => Frame::List(start),
            Tag::Item => Frame::Item,
            Tag::Emphasis => Frame::Emphasis,
            Tag::Strong => Frame::Strong,
            Tag::Strikethrough => Frame::Strike,
            Tag::Link { dest_url, .. } => Frame::Link(is_web_link(&dest_url).then(|| dest_url.trim().to_string())),
            _ => Frame::Skip,
        };
        self.open(frame);
    }

    fn end(&mut self, tag: TagEnd) {
        let is_block = matches!(
            tag,
            TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::BlockQuote(_)
                | TagEnd::CodeBlock
                | TagEnd::List(_)
                | TagEnd::Item
        );
        if is_block && !matches!(tag, TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::CodeBlock) {
            self.close_implicit();
        }
        self.close();
    }

    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(t) | Event::Html(t) | Event::InlineHtml(t) => self.push_inline(Inline::Text(clean(&t))),
            Event::Code(t) => self.push_inline(Inline::Code(clean(&t))),
            Event::SoftBreak => self.push_inline(Inline::Text(" ".into())),
            Event::HardBreak => self.push_inline(Inline::LineBreak),
            Event::TaskListMarker(done) => self.push_inline(Inline::Text(if done { "☑ " } else { "☐ " }.into())),
            _ => {}
        }
    }
}

fn clean(s: &str) -> String {
    s.chars().filter(|c| !is_invisible_control(*c)).collect()
}

/// Drops leading and trailing whitespace runs and line breaks of a paragraph.
fn trim_inlines(mut v: Vec<Inline>) -> Vec<Inline> {
    while matches!(v.first(), Some(Inline::LineBreak))
        || matches!(v.first(), Some(Inline::Text(t)) if t.trim().is_empty())
    {
        v.remove(0);
    }
    while matches!(v.last(), Some(Inline::LineBreak))
        || matches!(v.last(), Some(Inline::Text(t)) if t.trim().is_empty())
    {
        v.pop();
    }
    v
}

/// Parses the editors' Markdown into blocks. Headings of any level become `Heading`s; images
/// keep their description; raw HTML is kept as text.
pub fn parse(markdown: &str) -> Vec<Block> {
    let mut b = Builder::default();
    b.stack.push((Frame::Document, Open::Blocks(Vec::new())));
    for event in parser(markdown) {
        b.event(event);
    }
    while b.stack.len() > 1 {
        b.close();
    }
    match b.stack.pop() {
        Some((_, Open::Blocks(v))) => v,
        _ => Vec::new(),
    }
}

/// The plain text of inline runs, links followed by their address.
pub fn inline_plain(runs: &[Inline], out: &mut String) {
    for run in runs {
        match run {
            Inline::Text(t) | Inline::Code(t) => out.push_str(t),
            Inline::Strong(v) | Inline::Emphasis(v) | Inline::Strike(v) => inline_plain(v, out),
            Inline::Link { url, text } => {
                let start = out.len();
                inline_plain(text, out);
                if !out[start..].ends_with(url.as_str()) {
                    out.push_str(" (");
                    out.push_str(url);
                    out.push(')');
                }
            }
            Inline::LineBreak => out.push('\n'),
        }
    }
}

fn block_plain(block: &Block, indent: &str, out: &mut String) {
    match block {
        Block::Heading(v) | Block::Title(v) | Block::Paragraph(v) | Block::Note(v) => {
            out.push_str(indent);
            inline_plain(v, out);
        }
        Block::Pre(s) => out.push_str(s),
        Block::Quote(blocks) => {
            for (i, b) in blocks.iter().enumerate() {
                if i > 0 {
                    out.push('\n');
                }
                block_plain(b, indent, out);
            }
        }
        Block::List { start, items } => {
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push('\n');
                }
                let marker = match start {
                    Some(n) => format!("{}. ", n + i as u64),
                    None => "• ".to_string(),
                };
                out.push_str(indent);
                out.push_str(&marker);
                let inner_indent = format!("{indent}   ");
                for (j, b) in item.iter().enumerate() {
                    let mut s = String::new();
                    block_plain(b, if j == 0 { "" } else { &inner_indent }, &mut s);
                    if j > 0 {
                        out.push('\n');
                    }
                    out.push_str(&s);
                }
            }
        }
    }
}

/// The blocks as plain text, paragraphs separated by a blank line: for the terminal, logs of
/// tests, and anything that shows no formatting.
pub fn plain(blocks: &[Block]) -> String {
    let mut out = String::new();
    for (i, b) in blocks.iter().enumerate() {
        if i > 0 {
            out.push_str("\n\n");
        }
        block_plain(b, "", &mut out);
    }
    out
}

/// The characters of a document a reader sees, without spaces: for checks that nothing was lost.
pub fn visible_chars(blocks: &[Block]) -> usize {
    plain(blocks).chars().filter(|c| !c.is_whitespace()).count()
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

/// Markdown no front end shows well (raw HTML, images, code blocks, headings other than `##`,
/// rules), with offsets.
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
                Event::Start(Tag::Heading { level, .. }) if level != HeadingLevel::H2 => {
                    "only `##` headings are shown: each starts a section with a button of its own"
                }
                Event::Rule => "a `---` line no longer splits the article; use `##` sections",
                _ => return None,
            };
            Some((range.start, what))
        })
        .collect()
}

/// An article body cut at its `##` headings: the lead before the first one, then each
/// section's heading (as plain text) and Markdown, with the byte offset of each heading.
pub fn sections(markdown: &str) -> (&str, Vec<(usize, String, &str)>) {
    let mut cuts: Vec<(usize, usize, String)> = Vec::new();
    let mut heading: Option<(usize, String)> = None;
    for (event, range) in parser(markdown).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading {
                level: HeadingLevel::H2,
                ..
            }) => heading = Some((range.start, String::new())),
            Event::Text(t) | Event::Code(t) if heading.is_some() => {
                if let Some((_, h)) = heading.as_mut() {
                    h.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(HeadingLevel::H2)) => {
                if let Some((start, h)) = heading.take() {
                    cuts.push((start, range.end, h.trim().to_string()));
                }
            }
            _ => {}
        }
    }
    let lead_end = cuts.first().map_or(markdown.len(), |c| c.0);
    let mut out = Vec::new();
    for (i, (start, body_start, h)) in cuts.iter().enumerate() {
        let end = cuts.get(i + 1).map_or(markdown.len(), |c| c.0);
        out.push((*start, h.clone(), &markdown[*body_start..end]));
    }
    (&markdown[..lead_end], out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_paragraphs_emphasis_links_and_lists() {
        let blocks =
            parse("**Не подписывайте** *ничего*.\n\n- раз\n- два\n\n1. first\n2. second\n\n[МВД](https://мвд.рф/rkl)");
        assert_eq!(
            plain(&blocks),
            "Не подписывайте ничего.\n\n• раз\n• два\n\n1. first\n2. second\n\nМВД (https://мвд.рф/rkl)"
        );
        assert!(matches!(&blocks[0], Block::Paragraph(v) if matches!(&v[0], Inline::Strong(_))));
    }

    #[test]
    fn non_web_links_keep_only_their_text() {
        let blocks = parse("[call](tel:+74950000000) [js](javascript:alert(1))");
        assert_eq!(plain(&blocks), "call js");
        assert!(!format!("{blocks:?}").contains("Link"));
    }

    #[test]
    fn nested_lists_and_quotes() {
        let blocks = parse("> Я плохо говорю по-русски.\n> Прошу переводчика.\n\n- a\n  - b\n- c");
        assert_eq!(blocks.len(), 2);
        assert_eq!(plain(&blocks[..1]), "Я плохо говорю по-русски. Прошу переводчика.");
        assert_eq!(plain(&blocks[1..]), "• a\n   • b\n• c");
    }

    #[test]
    fn cuts_an_article_at_its_sections() {
        let md = "Lead line.\n\n1. step\n\n## Первый раздел\n\nText one.\n\n## Second\n\n- x\n";
        let (lead, secs) = sections(md);
        assert_eq!(lead, "Lead line.\n\n1. step\n\n");
        assert_eq!(secs.len(), 2);
        assert_eq!(secs[0].1, "Первый раздел");
        assert_eq!(secs[0].2.trim(), "Text one.");
        assert_eq!(&md[secs[1].0..secs[1].0 + 9], "## Second");
        assert_eq!(plain(&parse(secs[1].2)), "• x");
    }

    #[test]
    fn the_bots_own_strings_are_not_markdown() {
        let blocks = paras("a *b*\nc\n\nd_e");
        assert_eq!(plain(&blocks), "a *b*\nc\n\nd_e");
    }

    #[test]
    fn finds_links_and_unsupported_markdown() {
        let md = "# T\n\n[a](ftp://x) <b>x</b>\n\n![img](https://x/y.png)\n\n---\n\n### deep";
        assert_eq!(links(md), vec![(5, "ftp://x".to_string())]);
        // The heading, the opening and closing HTML tags, the image, the rule, the deep heading.
        assert_eq!(unsupported(md).len(), 6);
    }
}
