//! The website: a page for every topic in every language, every internal link and anchor leads
//! somewhere, every page says its language, headings come in order, every page links to the
//! bot, and no page links to a site the policy blocks.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use huquq_engine::content::policy;
use huquq_engine::Library;

use crate::support::*;

/// Text as the browser reads it from escaped HTML (minijinja escapes `/` too).
pub fn unescape(s: &str) -> String {
    s.replace("&#x2f;", "/")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The values of every `attr="..."` in an HTML text, unescaped.
pub fn attrs(html: &str, attr: &str) -> Vec<String> {
    let needle = format!(" {attr}=\"");
    html.match_indices(&needle)
        .filter_map(|(i, _)| {
            let rest = &html[i + needle.len()..];
            rest.find('"').map(|end| unescape(&rest[..end]))
        })
        .collect()
}

fn html_lang(html: &str) -> String {
    let start = html.find("<html lang=\"").expect("an <html lang>") + "<html lang=\"".len();
    html[start..].split('"').next().unwrap().to_string()
}

/// The levels of the headings in order.
fn headings(html: &str) -> Vec<u8> {
    html.match_indices("<h")
        .filter_map(|(i, _)| html[i + 2..].chars().next()?.to_digit(10))
        .filter(|d| (1..=6).contains(d))
        .map(|d| d as u8)
        .collect()
}

fn pages(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "html") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Checks every page of a built site; returns how many pages there are.
pub fn check_site(dir: &Path, lib: &Library, bot: &str) -> usize {
    let all = pages(dir);
    for page in &all {
        let rel = page.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
        let html = std::fs::read_to_string(page).unwrap();
        let lang = rel
            .split('/')
            .next()
            .filter(|_| rel.contains('/'))
            .unwrap_or(&lib.default_language);
        assert_eq!(html_lang(&html), lang, "{rel}: the page's language");
        let levels = headings(&html);
        assert_eq!(levels.first(), Some(&1), "{rel}: starts with its h1");
        assert_eq!(levels.iter().filter(|l| **l == 1).count(), 1, "{rel}: one h1");
        assert!(
            levels.windows(2).all(|w| w[1] <= w[0] + 1),
            "{rel}: headings skip a level: {levels:?}"
        );
        let ids: BTreeSet<String> = attrs(&html, "id").into_iter().collect();
        let mut to_bot = false;
        for href in attrs(&html, "href") {
            if let Some(fragment) = href.strip_prefix('#') {
                assert!(ids.contains(fragment), "{rel}: no #{fragment} on the page");
            } else if href.starts_with("https://") || href.starts_with("http://") {
                let host = policy::host(&href).unwrap();
                assert!(
                    lib.policy.blocked(&host).is_none(),
                    "{rel} links to a blocked site: {href}"
                );
                to_bot |= href.starts_with(&format!("https://t.me/{bot}"));
            } else if !href.starts_with("tel:") && !href.starts_with("mailto:") {
                let (file, fragment) = href
                    .split_once('#')
                    .map_or((href.as_str(), None), |(f, a)| (f, Some(a)));
                let target = page.parent().unwrap().join(file);
                assert!(target.is_file(), "{rel}: {href} leads nowhere");
                if let Some(a) = fragment {
                    let there = std::fs::read_to_string(&target).unwrap();
                    assert!(
                        attrs(&there, "id").iter().any(|i| i == a),
                        "{rel}: {href}: no such anchor"
                    );
                }
            }
        }
        assert!(to_bot, "{rel}: no link to the bot");
    }
    all.len()
}

#[test]
fn the_site_has_every_topic_in_every_language_and_no_broken_link() {
    let dir = tempfile::tempdir().unwrap();
    let out = huquq_guide(
        &["site", "--bot", "HuquqTestBot", "-o", dir.path().to_str().unwrap()],
        "",
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let g = guide().lib();
    for lang in LANGS {
        for topic in &g.topics {
            let page = dir.path().join(lang).join(&topic.id).join("index.html");
            let html = std::fs::read_to_string(&page).unwrap_or_else(|_| panic!("no page {lang}/{}", topic.id));
            let html = unescape(&html);
            let article = &topic.articles[lang];
            assert!(html.contains(&article.title), "{lang}/{}", topic.id);
            assert!(html.contains(&format!("https://t.me/HuquqTestBot?start={lang}_{}", topic.id)));
            // The date line and the sources.
            assert!(
                html.contains(&format!("[{lang}] article-footer")),
                "{lang}/{}",
                topic.id
            );
            assert!(
                html.contains(&format!("[{lang}] article-sources")),
                "{lang}/{}",
                topic.id
            );
        }
        for country in &g.consulates.countries {
            let page = dir
                .path()
                .join(lang)
                .join("consulates")
                .join(country.code.to_lowercase())
                .join("index.html");
            assert!(page.is_file(), "{}", page.display());
        }
    }
    let emergency = std::fs::read_to_string(dir.path().join("uz/emergency/index.html")).unwrap();
    assert!(
        emergency.contains("<blockquote lang=\"ru\">") && emergency.contains("узбекского"),
        "the card, in Russian"
    );
    let n = check_site(dir.path(), g, "HuquqTestBot");
    // The chooser; per language the topics, the articles, the directory and a page per country.
    assert_eq!(
        n,
        1 + LANGS.len() * (1 + g.topics.len() + 1 + g.consulates.countries.len())
    );
    assert!(stdout(&out).contains(&format!("{n} pages")));
}

#[test]
fn the_shipped_content_makes_a_site_without_broken_or_blocked_links() {
    let lib = shipped().lib();
    let problems = huquq::site::Problems::default();
    let opts = huquq::site::Options {
        bot: "HuquqBot",
        today: None,
        problems: &problems,
    };
    let site = huquq::site::build(lib, &opts).unwrap();
    let dir = tempfile::tempdir().unwrap();
    site.write(dir.path()).unwrap();
    check_site(dir.path(), lib, "HuquqBot");
}

/// GET `path` from the preview at `addr`: the status line and the body.
fn get(addr: &str, path: &str) -> (String, String) {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    write!(s, "GET {path} HTTP/1.1\r\nHost: {addr}\r\n\r\n").unwrap();
    let mut text = String::new();
    s.read_to_string(&mut text).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    (head.lines().next().unwrap().to_string(), unescape(body))
}

/// Asks for `path` until `done` holds for the body, for up to 20 s (the preview rebuilds
/// after a change has settled).
fn wait_page(addr: &str, path: &str, what: &str, done: impl Fn(&str) -> bool) -> String {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let (_, body) = get(addr, path);
        if done(&body) {
            return body;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "timed out waiting for {what}:\n{body}"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

#[test]
fn the_preview_rebuilds_on_a_change_and_shows_problems_on_the_pages_they_concern() {
    use std::io::BufRead;
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root().join("tests/fixtures/guide"), dir.path());
    let (content, locales) = (dir.path().join("content"), dir.path().join("locales"));
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_huquq"))
        .args([
            "--content",
            content.to_str().unwrap(),
            "--locales",
            locales.to_str().unwrap(),
        ])
        .args([
            "--today",
            "2026-11-22",
            "preview",
            "--bot",
            "HuquqTestBot",
            "--listen",
            "127.0.0.1:0",
        ])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut child = crate::serve::KillOnDrop(child);
    let mut lines = std::io::BufReader::new(child.stderr.take().unwrap()).lines();
    let addr = loop {
        let line = lines.next().expect("the preview says where it listens").unwrap();
        if let Some(rest) = line.strip_prefix("preview on http://") {
            break rest.split('/').next().unwrap().to_string();
        }
    };
    let (status, body) = get(&addr, "/");
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert!(body.contains("uz/index.html"));
    assert_eq!(get(&addr, "/nowhere/").0, "HTTP/1.1 404 Not Found");

    // An editor changes a title: the page follows.
    let md = content.join("topics/detention-48h/uz.md");
    let text = std::fs::read_to_string(&md).unwrap();
    let title = &guide().lib().topic("detention-48h").unwrap().articles["uz"].title;
    std::fs::write(&md, text.replace(title.as_str(), "Yangi sarlavha")).unwrap();
    wait_page(&addr, "/uz/detention-48h/", "the new title", |b| {
        b.contains("Yangi sarlavha")
    });

    // Then breaks the date: the page keeps the last good text, with the error on top; the
    // same topic in another language and that language's overview do not show it.
    let broken = std::fs::read_to_string(&md)
        .unwrap()
        .replacen("reviewed = 2026-11-20", "reviewed = 2026-13-45", 1);
    std::fs::write(&md, &broken).unwrap();
    let page = wait_page(&addr, "/uz/detention-48h/", "the error", |b| {
        b.contains("role=\"alert\"")
    });
    assert!(
        page.contains("detention-48h/uz.md:") && page.contains("error:"),
        "{page}"
    );
    assert!(page.contains("Yangi sarlavha"), "the last good content stays");
    assert!(!get(&addr, "/ru/detention-48h/").1.contains("detention-48h/uz.md:"));
    assert!(!get(&addr, "/ru/index.html").1.contains("detention-48h/uz.md:"));
    assert!(
        get(&addr, "/uz/index.html").1.contains("detention-48h/uz.md:"),
        "it lists the article"
    );
}
