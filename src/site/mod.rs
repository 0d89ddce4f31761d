//! The web edition of the guide, for people who would rather open a link than a bot (an NGO
//! lawyer sends it; a relative reads it on a laptop): `huquq site -o DIR` writes every topic in
//! every language, and the consulate directory, as static pages built from the same content the
//! bot answers with. No script, one small stylesheet, system fonts; a link to the bot on every
//! page. `huquq preview` serves the same pages to editors, with `huquq check`'s problems on top.
//!
//! Layout: `index.html` (choose a language), `<lang>/index.html` (the topics),
//! `<lang>/<topic>/index.html` (an article with its dates and sources),
//! `<lang>/consulates/index.html` and `<lang>/consulates/<country>/index.html`. Links are
//! relative, so the folder works on any web server and opened from disk.

pub mod html;
mod pages;
pub mod preview;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use huquq_engine::{Diagnostic, Library};
use minijinja::{context, Environment, Value};
use time::Date;

/// The folder of the consulate directory inside each language's folder.
pub const CONSULATES: &str = "consulates";
pub const STYLE: &str = include_str!("templates/style.css");

const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("templates/base.html")),
    ("index.html", include_str!("templates/index.html")),
    ("topics.html", include_str!("templates/topics.html")),
    ("article.html", include_str!("templates/article.html")),
    ("consulates.html", include_str!("templates/consulates.html")),
    ("country.html", include_str!("templates/country.html")),
];

/// The bot's strings the pages use, by message id (templates read them as `t.site_topics`).
const STRINGS: &[&str] = &[
    "site-topics",
    "site-open-bot",
    "site-consulates",
    "site-regions",
    "site-skip",
    "button-language",
    "button-sos",
    "article-sources",
    "card-note",
    "bot-short-description",
];

/// The built site: every file by its path inside the site's folder.
#[derive(Debug, Default)]
pub struct Site {
    pub files: BTreeMap<String, String>,
}

impl Site {
    /// Writes every file under `dir`, creating folders as needed.
    pub fn write(&self, dir: &Path) -> anyhow::Result<()> {
        for (rel, text) in &self.files {
            let path = dir.join(rel);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).with_context(|| format!("could not create {}", parent.display()))?;
            }
            std::fs::write(&path, text).with_context(|| format!("could not write {}", path.display()))?;
        }
        Ok(())
    }

    /// The HTML pages' paths.
    pub fn pages(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str).filter(|p| p.ends_with(".html"))
    }
}

/// Content problems to show at the top of the pages they concern: the editors' preview. A
/// problem in a file no page is made from (languages.toml, search.toml) shows on the overviews.
#[derive(Debug, Default, Clone)]
pub struct Problems {
    pub list: Vec<Diagnostic>,
    /// Where the content and the bot's strings were read from, as the diagnostics name them.
    pub content: PathBuf,
    pub locales: PathBuf,
}

impl Problems {
    fn concern(&self, files: &[PathBuf]) -> Vec<&Diagnostic> {
        self.list
            .iter()
            .filter(|d| files.iter().any(|f| f.starts_with(&d.path)))
            .collect()
    }
}

/// What every build needs besides the content.
pub struct Options<'a> {
    /// The bot's username, for the links that open it.
    pub bot: &'a str,
    /// Today, for the notice on articles whose law was last checked long ago.
    pub today: Option<Date>,
    pub problems: &'a Problems,
}

/// A page waiting for its problems to be known.
struct Pending {
    path: String,
    template: &'static str,
    /// The files it is made from, for matching problems to it.
    files: Vec<PathBuf>,
    /// An overview shows the problems no other page shows.
    overview: bool,
    ctx: Value,
}

/// The strings of `STRINGS` in `lang`, keyed for templates.
fn strings(lib: &Library, lang: &str) -> BTreeMap<String, String> {
    let chain = lib.chain(lang);
    STRINGS
        .iter()
        .map(|id| (id.replace('-', "_"), lib.i18n.get(&chain, id, &[])))
        .collect()
}

/// Builds every page of the site.
pub fn build(lib: &Library, opts: &Options<'_>) -> anyhow::Result<Site> {
    anyhow::ensure!(
        lib.topic(CONSULATES).is_none(),
        "a topic may not be called `{CONSULATES}`: the website keeps the consulate directory there"
    );
    let mut env = Environment::new();
    for (name, source) in TEMPLATES {
        env.add_template(name, source)
            .with_context(|| format!("template {name}"))?;
    }
    let pending = pages::all(lib, opts);
    let shown_somewhere: Vec<&Diagnostic> = pending.iter().flat_map(|p| opts.problems.concern(&p.files)).collect();
    let mut site = Site::default();
    for page in pending {
        let mut problems = opts.problems.concern(&page.files);
        if page.overview {
            problems.extend(opts.problems.list.iter().filter(|d| !shown_somewhere.contains(d)));
        }
        let problems: Vec<Value> = problems
            .iter()
            .map(|d| context! { severity => d.severity.to_string(), text => d.to_string() })
            .collect();
        let ctx = context! { problems, ..page.ctx };
        let html = env
            .get_template(page.template)?
            .render(ctx)
            .with_context(|| format!("could not render {}", page.path))?;
        site.files.insert(page.path, html);
    }
    site.files.insert("style.css".into(), STYLE.into());
    Ok(site)
}

/// What every page's template needs: its language, title, where the site's root is, the other
/// languages' versions of the same page, the strings and the bot.
fn common(lib: &Library, opts: &Options<'_>, lang: &str, title: &str, depth: usize, rest: &str) -> Value {
    let root = "../".repeat(depth);
    let languages: Vec<Value> = lib
        .languages
        .iter()
        .map(|l| context! { code => &l.code, name => &l.name, href => format!("{root}{}/{rest}", l.code) })
        .collect();
    let home = if depth == 0 {
        "index.html".to_string()
    } else {
        format!("{root}{lang}/index.html")
    };
    context! {
        lang,
        title,
        root,
        home,
        languages,
        t => strings(lib, lang),
        bot => opts.bot,
        bot_link => crate::links::deep_link(opts.bot, lang, None),
    }
}
