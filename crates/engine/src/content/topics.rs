//! `content/topics/<id>/topic.toml` and the articles `content/topics/<id>/<lang>.md`.

use std::collections::BTreeMap;

use serde::Deserialize;
use time::Date;
use toml::value::Datetime;
use toml::Spanned;

use super::policy::Policy;
use super::toml_util;
use super::{CheckOptions, Sources};
use crate::diag::{Diagnostics, Severity, SourceFile};
use crate::doc::{self, Block};

/// How old a review may get before `check` warns.
pub const REVIEW_MAX_AGE_DAYS: i64 = 180;
const TITLE_MAX: usize = 60;
/// What fits on a menu button of a phone, one button a row.
pub const BUTTON_MAX: usize = 24;
const SUMMARY_MAX: usize = 160;
/// Deep links are `<lang>_<id>` in at most 64 characters; callback data is at most 64 bytes.
const ID_MAX: usize = 40;
/// One phone screen: the lead (the answer) and each section are meant to be read without
/// scrolling, at the usual font size of a cheap phone.
pub const LEAD_MAX: usize = 700;
pub const SECTION_MAX: usize = 1000;
/// A section's heading is its button's label.
pub const HEADING_MAX: usize = 28;
pub const SECTIONS_MAX: usize = 8;

#[derive(Debug, Clone)]
pub struct Topic {
    pub id: String,
    pub order: i64,
    pub emoji: String,
    pub related: Vec<String>,
    /// By language code.
    pub articles: BTreeMap<String, Article>,
    /// Example messages that mean this topic, by language (`examples/<lang>.txt`).
    pub examples: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Clone)]
pub struct Article {
    /// The file it was read from, for diagnostics.
    pub path: std::path::PathBuf,
    pub title: String,
    /// A short label for menus when the title is too long for a phone's button.
    pub button: Option<String>,
    pub summary: String,
    pub keywords: Vec<String>,
    pub reviewed: Date,
    pub law_as_of: Date,
    pub sources: Vec<Source>,
    /// The Markdown body as written (for search).
    pub body: String,
    /// The answer: what comes before the first `##` heading.
    pub lead: Vec<Block>,
    /// Each `##` heading and what follows it.
    pub sections: Vec<Section>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub heading: String,
    pub blocks: Vec<Block>,
}

/// A source as editors write it: "ст. 27.5 КоАП РФ — https://...": a label, an address, or both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub label: String,
    pub url: Option<String>,
}

impl Source {
    pub fn parse(entry: &str) -> Source {
        let url = source_url(entry).filter(|u| doc::is_web_link(u)).map(str::to_string);
        let label = source_label(entry).to_string();
        Source { label, url }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TopicFile {
    order: i64,
    emoji: String,
    #[serde(default)]
    related: Vec<Spanned<String>>,
    /// Sources shared by every language's article.
    #[serde(default)]
    sources: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    title: Spanned<String>,
    #[serde(default)]
    button: Option<Spanned<String>>,
    summary: Spanned<String>,
    #[serde(default)]
    keywords: Vec<String>,
    reviewed: Spanned<Datetime>,
    law_as_of: Spanned<Datetime>,
    /// Sources of this language's article only, besides the topic's.
    #[serde(default)]
    sources: Vec<Spanned<String>>,
}

pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= ID_MAX
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !id.starts_with('-')
}

pub fn load(
    sources: &Sources,
    langs: &[&str],
    opts: CheckOptions,
    policy: &Policy,
    diags: &mut Diagnostics,
) -> Vec<Topic> {
    let topics_dir = sources.content_dir.join("topics");
    let mut topics = Vec::new();
    let mut related_refs: Vec<(String, SourceFile, Spanned<String>)> = Vec::new();
    let ids = sources.subdirs(&topics_dir);
    for id in ids.iter().cloned() {
        let dir = topics_dir.join(&id);
        if !valid_id(&id) {
            diags.at_path(
                &dir,
                Severity::Error,
                format!("topic id `{id}` may only use a-z, 0-9 and `-` (at most {ID_MAX} characters)"),
                "rename the folder, e.g. `detention-48h`.",
            );
            continue;
        }
        let meta_path = dir.join("topic.toml");
        let Some(meta_file) = sources.get(&meta_path) else {
            diags.at_path(
                &meta_path,
                Severity::Error,
                format!("topic `{id}` has no topic.toml"),
                "create it with `order = 10`, `emoji = \"⏱\"` and `related = []`.",
            );
            continue;
        };
        let Some(meta) = toml_util::parse::<TopicFile>(diags, meta_file, 0, &meta_file.text) else {
            continue;
        };
        for r in &meta.related {
            related_refs.push((id.clone(), meta_file.clone(), r.clone()));
        }
        let topic_sources = check_sources(meta_file, 0, &meta.sources, policy, diags);
        let mut articles = BTreeMap::new();
        for lang in langs {
            let path = dir.join(format!("{lang}.md"));
            match sources.get(&path) {
                Some(file) => {
                    if let Some(article) = load_article(file, lang, &topic_sources, opts, policy, diags) {
                        articles.insert(lang.to_string(), article);
                    }
                }
                None => diags.at_path(
                    &path,
                    Severity::Error,
                    format!("topic `{id}` is missing in language `{lang}`"),
                    format!("write content/topics/{id}/{lang}.md (copy another language's file and translate it)."),
                ),
            }
        }
        let unsourced: Vec<&str> = articles
            .iter()
            .filter(|(_, a)| a.sources.is_empty())
            .map(|(l, _)| l.as_str())
            .collect();
        if !unsourced.is_empty() {
            diags.error(
                meta_file,
                0,
                format!("topic `{id}` has no sources (articles: {})", unsourced.join(", ")),
                "list the law and article (e.g. \"ч. 4 ст. 27.5 КоАП РФ\") or the official page each statement rests on in `sources = [...]` of topic.toml.",
            );
        }
        for file in sources.files_in(&dir) {
            let name = file
                .path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let is_article = name.strip_suffix(".md").is_some_and(|l| langs.contains(&l));
            if name != "topic.toml" && !is_article {
                diags.warning(
                    file,
                    0,
                    format!("`{name}` is not used: a topic folder holds topic.toml and one <language>.md per language"),
                    format!(
                        "rename it to one of {} or remove it.",
                        langs.iter().map(|l| format!("{l}.md")).collect::<Vec<_>>().join(", ")
                    ),
                );
            }
        }
        let examples = super::examples::read_dir(sources, &dir.join("examples"), langs, diags);
        topics.push(Topic {
            id,
            order: meta.order,
            emoji: meta.emoji,
            related: meta.related.into_iter().map(Spanned::into_inner).collect(),
            articles,
            examples,
        });
    }
    for (id, file, r) in related_refs {
        let target = r.get_ref();
        if target == &id {
            diags.warning(
                &file,
                r.span().start,
                format!("topic `{id}` lists itself as related"),
                "remove it from `related`.",
            );
        } else if !ids.contains(target) {
            let known: Vec<&str> = ids.iter().map(String::as_str).collect();
            let fix = match crate::diag::did_you_mean(target, &known) {
                Some(k) => format!("did you mean `{k}`?"),
                None => format!("use one of: {}.", known.join(", ")),
            };
            diags.error(
                &file,
                r.span().start,
                format!("related topic `{target}` does not exist"),
                fix,
            );
        }
    }
    topics.sort_by(|a, b| (a.order, &a.id).cmp(&(b.order, &b.id)));
    topics
}

/// Splits `+++` front matter from the body. Returns (front matter, its byte offset, body, its offset).
fn split_front_matter(text: &str) -> Option<(&str, usize, &str, usize)> {
    let first_line_end = text.find('\n')?;
    if text[..first_line_end].trim_end() != "+++" {
        return None;
    }
    let fm_start = first_line_end + 1;
    let mut pos = fm_start;
    for line in text[fm_start..].split_inclusive('\n') {
        if line.trim_end() == "+++" {
            let body_start = pos + line.len();
            return Some((&text[fm_start..pos], fm_start, &text[body_start..], body_start));
        }
        pos += line.len();
    }
    None
}

fn load_article(
    file: &SourceFile,
    lang: &str,
    topic_sources: &[String],
    opts: CheckOptions,
    policy: &Policy,
    diags: &mut Diagnostics,
) -> Option<Article> {
    let Some((fm, fm_offset, body, body_offset)) = split_front_matter(&file.text) else {
        diags.error(
            file,
            0,
            "the article does not start with front matter between `+++` lines",
            "begin the file with a line `+++`, the fields (title, summary, keywords, reviewed, law_as_of, sources), and another `+++` line.",
        );
        return None;
    };
    let front: FrontMatter = toml_util::parse(diags, file, fm_offset, fm)?;
    let at = |s: std::ops::Range<usize>| fm_offset + s.start;

    let title = front.title.get_ref().trim().to_string();
    if title.is_empty() || title.contains('\n') {
        diags.error(
            file,
            at(front.title.span()),
            "the title must be one non-empty line",
            "write a short title on one line.",
        );
    } else if title.chars().count() > TITLE_MAX {
        diags.warning(
            file,
            at(front.title.span()),
            format!(
                "the title is {} characters long; it is cut on phone buttons past about {TITLE_MAX}",
                title.chars().count()
            ),
            "shorten the title; details belong in `summary`.",
        );
    }
    let button = front.button.as_ref().map(|b| b.get_ref().trim().to_string());
    match (&button, &front.button) {
        (Some(b), Some(spanned)) if b.is_empty() || b.contains('\n') || b.chars().count() > BUTTON_MAX => {
            diags.warning(
                file,
                at(spanned.span()),
                format!("the button label must be one line of 1 to {BUTTON_MAX} characters"),
                "shorten it: it is what the menu button shows.",
            );
        }
        (None, _) if title.chars().count() > BUTTON_MAX => {
            diags.warning(
                file,
                at(front.title.span()),
                format!(
                    "the title is {} characters long and there is no `button`: the menu button is cut off on phones",
                    title.chars().count()
                ),
                format!("add `button = \"...\"` with a label of at most {BUTTON_MAX} characters."),
            );
        }
        _ => {}
    }
    let summary = front.summary.get_ref().trim().to_string();
    if summary.is_empty() || summary.contains('\n') {
        diags.error(
            file,
            at(front.summary.span()),
            "the summary must be one non-empty line",
            "write one short sentence.",
        );
    } else if summary.chars().count() > SUMMARY_MAX {
        diags.warning(
            file,
            at(front.summary.span()),
            format!(
                "the summary is {} characters long (at most {SUMMARY_MAX} reads well)",
                summary.chars().count()
            ),
            "keep it to one short sentence.",
        );
    }
    if front.keywords.is_empty() {
        diags.warning(
            file,
            fm_offset,
            "the article has no keywords, so typed questions rarely find it",
            "add `keywords = [...]` with the words people type.",
        );
    }

    let reviewed = toml_util::to_date(
        diags,
        file,
        at(front.reviewed.span()),
        "reviewed",
        front.reviewed.get_ref(),
    );
    let law_as_of = toml_util::to_date(
        diags,
        file,
        at(front.law_as_of.span()),
        "law_as_of",
        front.law_as_of.get_ref(),
    );
    if let Some(r) = reviewed {
        let age = (opts.today - r).whole_days();
        if age > REVIEW_MAX_AGE_DAYS {
            diags.warning(
                file,
                at(front.reviewed.span()),
                format!("last reviewed {age} days ago (more than {REVIEW_MAX_AGE_DAYS})"),
                "have a lawyer check the article against the current law, then update `reviewed`.",
            );
        } else if age < 0 {
            diags.error(
                file,
                at(front.reviewed.span()),
                "`reviewed` is in the future",
                "use the date the review actually happened.",
            );
        }
    }

    let mut sources = topic_sources.to_vec();
    sources.extend(check_sources(file, fm_offset, &front.sources, policy, diags));

    for (offset, url) in doc::links(body) {
        if !doc::is_web_link(&url) {
            diags.error(
                file,
                body_offset + offset,
                format!("link `{url}` is not an http(s) address; readers could not open it safely"),
                "use a full address starting with https://, or write a phone number as plain text (+7 495 000-00-00).",
            );
        }
    }
    for (offset, what) in doc::unsupported(body) {
        diags.warning(
            file,
            body_offset + offset,
            what,
            "use only the Markdown listed in CONTENT_GUIDE.md.",
        );
    }
    check_letters(file, lang, diags);
    let controls = body.char_indices().filter(|(_, c)| doc::is_invisible_control(*c));
    for (offset, c) in controls.take(3) {
        diags.error(
            file,
            body_offset + offset,
            format!("invisible control character U+{:04X}", u32::from(c)),
            "delete it (it often comes with text pasted from Word or a PDF); retype the words around it if needed.",
        );
    }
    let (lead, sections) = split_sections(file, body, body_offset, diags);
    if lead.is_empty() && sections.is_empty() {
        diags.error(
            file,
            body_offset,
            "the article has no text after the front matter",
            "write the article below the second `+++` line.",
        );
    }
    Some(Article {
        path: file.path.clone(),
        title,
        button: button.filter(|b| !b.is_empty()),
        summary,
        keywords: front
            .keywords
            .iter()
            .map(|k| k.trim().to_string())
            .filter(|k| !k.is_empty())
            .collect(),
        reviewed: reviewed?,
        law_as_of: law_as_of?,
        sources: sources.iter().map(|s| Source::parse(s)).collect(),
        body: body.to_string(),
        lead,
        sections,
    })
}

/// The lead and the sections of a body, with a warning for each part longer than a screen.
fn split_sections(
    file: &SourceFile,
    body: &str,
    body_offset: usize,
    diags: &mut Diagnostics,
) -> (Vec<Block>, Vec<Section>) {
    let (lead_md, parts) = doc::sections(body);
    let lead = doc::parse(lead_md);
    let lead_len = doc::visible_chars(&lead);
    if lead.is_empty() && !parts.is_empty() {
        diags.warning(
            file,
            body_offset,
            "the article starts with a `##` section: readers see its lead first, and it is empty",
            "write the answer in a few lines before the first `##` heading.",
        );
    } else if lead_len > LEAD_MAX {
        diags.warning(
            file,
            body_offset,
            format!("the lead (the text before the first `##`) has {lead_len} characters; it should fit one phone screen ({LEAD_MAX})"),
            "keep the answer and the key steps in the lead, and move details into `##` sections.",
        );
    }
    if parts.len() > SECTIONS_MAX {
        diags.warning(
            file,
            body_offset + parts[SECTIONS_MAX].0,
            format!(
                "{} sections: each is a button, and more than {SECTIONS_MAX} buttons do not fit a screen",
                parts.len()
            ),
            "merge sections that belong together.",
        );
    }
    let mut sections = Vec::new();
    for (offset, heading, md) in parts {
        let at = body_offset + offset;
        let blocks = doc::parse(md);
        let len = doc::visible_chars(&blocks);
        if heading.is_empty() {
            diags.error(
                file,
                at,
                "a `##` heading without text",
                "write the section's name after `## `.",
            );
            continue;
        }
        if heading.chars().count() > HEADING_MAX {
            diags.warning(
                file,
                at,
                format!(
                    "the heading «{heading}» has {} characters; it is a button and is cut off past {HEADING_MAX}",
                    heading.chars().count()
                ),
                "shorten the heading.",
            );
        }
        if blocks.is_empty() {
            diags.warning(
                file,
                at,
                format!("the section «{heading}» is empty"),
                "write its text or remove the heading.",
            );
        } else if len > SECTION_MAX {
            diags.warning(
                file,
                at,
                format!("the section «{heading}» has {len} characters; it should fit one phone screen ({SECTION_MAX})"),
                "split it into two sections or shorten it.",
            );
        }
        sections.push(Section { heading, blocks });
    }
    (lead, sections)
}

/// The non-empty entries of a `sources` list (which starts at byte `base` of `file`), with an
/// error for each address that is not a web link.
pub(super) fn check_sources(
    file: &SourceFile,
    base: usize,
    list: &[Spanned<String>],
    policy: &Policy,
    diags: &mut Diagnostics,
) -> Vec<String> {
    let mut out = Vec::new();
    for s in list {
        let text = s.get_ref().trim();
        if text.is_empty() {
            continue;
        }
        if let Some(url) = source_url(text) {
            if doc::is_web_link(url) {
                policy.check_source(file, base + s.span().start, source_label(text), url, diags);
            } else {
                diags.error(
                    file,
                    base + s.span().start,
                    format!("source link `{url}` is not an http(s) address"),
                    "use a full address starting with https://.",
                );
            }
        }
        out.push(text.to_string());
    }
    out
}

/// The address in a source entry such as "ст. 27.5 КоАП РФ — https://...".
pub fn source_url(source: &str) -> Option<&str> {
    let start = source.find("://")?;
    let scheme_start = source[..start]
        .rfind(|c: char| !c.is_ascii_alphanumeric())
        .map_or(0, |i| i + 1);
    let end = source[start..]
        .find(char::is_whitespace)
        .map_or(source.len(), |i| start + i);
    Some(&source[scheme_start..end])
}

/// The label of a source entry without its address.
pub fn source_label(source: &str) -> &str {
    match source_url(source) {
        Some(url) => {
            let label = source[..source.find(url).unwrap_or(0)].trim();
            label.trim_end_matches(['—', '-', ':', ',']).trim()
        }
        None => source.trim(),
    }
}

/// Letters that belong to another language's alphabet, by the writing guide's rules 11–13.
fn check_letters(file: &SourceFile, lang: &str, diags: &mut Diagnostics) {
    let text = &file.text;
    // Skip the keywords: they hold misspellings on purpose.
    let skip = text
        .find("keywords")
        .and_then(|k| text[k..].find(']').map(|e| k..k + e));
    let mut warned = 0;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (i, &(offset, c)) in chars.iter().enumerate() {
        if skip.as_ref().is_some_and(|r| r.contains(&offset)) || warned >= 5 {
            continue;
        }
        let prev = i.checked_sub(1).map(|j| chars[j].1);
        let next = chars.get(i + 1).map(|x| x.1);
        let between_letters = prev.is_some_and(char::is_alphabetic) && next.is_some_and(char::is_alphabetic);
        let problem = match (lang, c) {
            ("uz", '\'' | '‘' | '’' | '`') if between_letters => Some((
                format!("`{c}` used as an Uzbek apostrophe"),
                if matches!(prev, Some('o' | 'g' | 'O' | 'G')) {
                    "write oʻ and gʻ with ʻ (U+02BB)."
                } else {
                    "write the tutuq belgisi as ʼ (U+02BC)."
                },
            )),
            ("tg", 'ў' | 'Ў') => Some((
                "the Uzbek letter ў in a Tajik text".to_string(),
                "Tajik uses ӯ (U+04EF).",
            )),
            ("ky", 'ö' | 'ü' | 'Ö' | 'Ü' | 'ұ' | 'Ұ') => Some((
                format!("`{c}` is not a Kyrgyz letter"),
                "use the Cyrillic ө (U+04E9) and ү (U+04AF).",
            )),
            _ => None,
        };
        if let Some((message, fix)) = problem {
            diags.warning(file, offset, message, fix);
            warned += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_source_labels_and_addresses() {
        let s = "ст. 27.5 КоАП РФ — https://kodecs-rf.ru/x";
        assert_eq!(source_url(s), Some("https://kodecs-rf.ru/x"));
        assert_eq!(source_label(s), "ст. 27.5 КоАП РФ");
        assert_eq!(source_url("ст. 22 Конституции РФ"), None);
        assert_eq!(source_label("https://мвд.рф/rkl"), "");
        assert_eq!(source_url("see ftp://x.y"), Some("ftp://x.y"));
    }

    #[test]
    fn front_matter_offsets_point_into_the_file() {
        let text = "+++\ntitle = \"x\"\n+++\nbody\n";
        let (fm, fo, body, bo) = split_front_matter(text).unwrap();
        assert_eq!(fm, "title = \"x\"\n");
        assert_eq!(&text[fo..fo + 5], "title");
        assert_eq!(body, "body\n");
        assert_eq!(&text[bo..], "body\n");
        assert!(split_front_matter("title = 1\n").is_none());
    }
}
