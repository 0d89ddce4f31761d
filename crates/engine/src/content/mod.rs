//! The content store: the one loader shared by serve, chat, ask, show and check.
//!
//! `Sources` holds the text of every content and locale file (read from disk by `Sources::read`,
//! or built in memory by tests and fuzzers); `build` turns it into a `Library` and the list of
//! every problem found. A `Library` is only produced when there is no error, so a running bot
//! never swaps in content that `huquq check` would reject.

mod card;
pub mod examples;
mod languages;
pub mod policy;
mod search_config;
pub(crate) mod toml_util;
mod topics;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use time::Date;

pub use crate::consulates::{
    Abroad, City, Confidence, Consulates, Contact, CountryInfo, District, Localized, Mission, MissionKind, Phone,
    PhoneKind, Region,
};
pub use card::{Card, CardCountry, DEFAULT_COUNTRY};
pub use examples::{Intent, OFF_TOPIC};
pub use languages::Language;
pub use search_config::{EmergencyCues, ModelConfig, SearchConfig, Weights};
pub use topics::{
    Article, Section, Source, Topic, BUTTON_MAX, HEADING_MAX, LEAD_MAX, REVIEW_MAX_AGE_DAYS, SECTION_MAX,
};

use crate::diag::{Diagnostic, Diagnostics, Severity, SourceFile};
use crate::i18n::I18n;
use crate::search::Index;

/// Topic ids the code itself relies on.
pub const EMERGENCY: &str = "emergency";
pub const CONSULATE_CONTACTS: &str = "consulate-contacts";

/// Reading the content could not even start (a missing directory, an unreadable file).
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{0} is not a directory")]
    NotADirectory(PathBuf),
}

/// Options that change how strict the checks are.
#[derive(Debug, Clone, Copy)]
pub struct CheckOptions {
    /// The day against which `reviewed` dates are judged.
    pub today: Date,
    /// Production mode: unverified contacts are errors, not warnings.
    pub strict: bool,
}

impl CheckOptions {
    pub fn new(today: Date) -> Self {
        CheckOptions { today, strict: false }
    }
}

/// Every content and locale file, by path.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    pub content_dir: PathBuf,
    pub locales_dir: PathBuf,
    pub files: BTreeMap<PathBuf, SourceFile>,
}

impl Sources {
    pub fn new(content_dir: impl Into<PathBuf>, locales_dir: impl Into<PathBuf>) -> Self {
        Sources {
            content_dir: content_dir.into(),
            locales_dir: locales_dir.into(),
            files: BTreeMap::new(),
        }
    }

    /// Adds a file; `rel` is relative to the content directory, or to the locales directory when
    /// it starts with `locales/`.
    pub fn with(mut self, rel: &str, text: &str) -> Self {
        let path = match rel.strip_prefix("locales/") {
            Some(r) => self.locales_dir.join(r),
            None => self.content_dir.join(rel),
        };
        self.files.insert(path.clone(), SourceFile::new(path, text));
        self
    }

    /// Reads every file under both directories. Files that are not UTF-8 are reported as
    /// diagnostics, not as a failure.
    pub fn read(content_dir: &Path, locales_dir: &Path) -> Result<(Sources, Vec<Diagnostic>), LoadError> {
        let mut sources = Sources::new(content_dir, locales_dir);
        let mut diags = Diagnostics::default();
        for dir in [content_dir, locales_dir] {
            if !dir.is_dir() {
                return Err(LoadError::NotADirectory(dir.to_path_buf()));
            }
            read_dir(dir, &mut sources, &mut diags)?;
        }
        Ok((sources, diags.items))
    }

    pub fn get(&self, path: &Path) -> Option<&SourceFile> {
        self.files.get(path)
    }

    /// Files directly inside `dir`.
    pub fn files_in<'a>(&'a self, dir: &'a Path) -> impl Iterator<Item = &'a SourceFile> + 'a {
        self.files.values().filter(move |f| f.path.parent() == Some(dir))
    }

    /// Names of the directories directly inside `dir` that hold at least one file.
    pub fn subdirs(&self, dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = self
            .files
            .keys()
            .filter_map(|p| p.strip_prefix(dir).ok())
            .filter(|rel| rel.components().count() >= 2)
            .filter_map(|rel| rel.components().next())
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        names.dedup();
        names
    }
}

fn read_dir(dir: &Path, sources: &mut Sources, diags: &mut Diagnostics) -> Result<(), LoadError> {
    let io = |source| LoadError::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(io)?
        .collect::<Result<_, _>>()
        .map_err(io)?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        if path.is_dir() {
            read_dir(&path, sources, diags)?;
            continue;
        }
        let bytes = std::fs::read(&path).map_err(|source| LoadError::Io {
            path: path.clone(),
            source,
        })?;
        match String::from_utf8(bytes) {
            Ok(text) => {
                sources.files.insert(path.clone(), SourceFile::new(path, text));
            }
            Err(e) => diags.at_path(
                &path,
                Severity::Error,
                format!("not UTF-8 text (bad byte at offset {})", e.utf8_error().valid_up_to()),
                "save the file as UTF-8 (in most editors: Save with encoding > UTF-8).",
            ),
        }
    }
    Ok(())
}

/// Everything the bot says, loaded and checked. Immutable; replaced whole on reload.
#[derive(Debug)]
pub struct Library {
    /// Languages in picker order.
    pub languages: Vec<Language>,
    pub default_language: String,
    /// Topics in menu order.
    pub topics: Vec<Topic>,
    /// Conversation intents that are not topics (greetings, thanks, questions not covered).
    pub intents: Vec<Intent>,
    pub i18n: I18n,
    pub consulates: Consulates,
    pub search: SearchConfig,
    /// The text for the officer, if the content has one.
    pub card: Option<Card>,
    /// Which sites the content may link to.
    pub policy: policy::Policy,
    /// A short fingerprint of the content, shown by `/status` and used to tell reloads apart.
    pub version: String,
}

impl Library {
    pub fn language(&self, code: &str) -> Option<&Language> {
        self.languages.iter().find(|l| l.code == code)
    }

    pub fn topic(&self, id: &str) -> Option<&Topic> {
        self.topics.iter().find(|t| t.id == id)
    }

    /// `code` and then its fallbacks and the default language, without repeats.
    pub fn chain<'a>(&'a self, code: &'a str) -> Vec<&'a str> {
        let mut chain = vec![code];
        if let Some(lang) = self.language(code) {
            chain.extend(lang.fallback.iter().map(String::as_str));
        }
        chain.push(&self.default_language);
        let mut seen = Vec::with_capacity(chain.len());
        for c in chain {
            if !seen.contains(&c) {
                seen.push(c);
            }
        }
        seen
    }

    /// The article of `topic` in `lang`, or in its fallback languages.
    pub fn article<'a>(&'a self, topic: &'a Topic, lang: &str) -> Option<&'a Article> {
        self.chain(lang).into_iter().find_map(|l| topic.articles.get(l))
    }
}

/// A library together with everything built from it (the search index), as one value: nobody
/// can pair a library with another one's index. Built once per load and swapped whole.
#[derive(Debug)]
pub struct Snapshot {
    lib: Library,
    index: Index,
}

impl Snapshot {
    pub fn new(lib: Library) -> Snapshot {
        let index = Index::build(&lib);
        Snapshot { lib, index }
    }

    pub fn lib(&self) -> &Library {
        &self.lib
    }

    pub fn index(&self) -> &Index {
        &self.index
    }
}

/// The result of loading: the library when there is no error, and every problem found.
pub struct Loaded {
    pub library: Option<Library>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Loaded {
    pub fn errors(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    pub fn warnings(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count()
    }
}

/// Reads and checks the content under two directories.
pub fn load(content_dir: &Path, locales_dir: &Path, opts: CheckOptions) -> Result<Loaded, LoadError> {
    let (sources, read_problems) = Sources::read(content_dir, locales_dir)?;
    let mut loaded = build(&sources, opts);
    loaded.diagnostics.splice(0..0, read_problems);
    if loaded.errors() > 0 {
        loaded.library = None;
    }
    Ok(loaded)
}

/// Checks and assembles the content from files already in memory.
pub fn build(sources: &Sources, opts: CheckOptions) -> Loaded {
    let mut diags = Diagnostics::default();
    let library = build_inner(sources, opts, &mut diags);
    let mut diagnostics = diags.items;
    diagnostics.sort_by(|a, b| (&a.path, a.line, a.col).cmp(&(&b.path, b.line, b.col)));
    let library = if diagnostics.iter().any(|d| d.severity == Severity::Error) {
        None
    } else {
        library
    };
    Loaded { library, diagnostics }
}

fn build_inner(sources: &Sources, opts: CheckOptions, diags: &mut Diagnostics) -> Option<Library> {
    let langs = languages::load(sources, diags)?;
    let codes: Vec<&str> = langs.languages.iter().map(|l| l.code.as_str()).collect();
    let i18n = crate::i18n::load(sources, &codes, &langs.default, diags);
    let policy = policy::load(sources, diags);
    let topics = topics::load(sources, &codes, opts, &policy, diags);
    let consulates = crate::consulates::load(sources, opts, diags);
    let search = search_config::load(sources, diags);
    let card = card::load(sources, &policy, diags);
    let intents = examples::load_intents(sources, &codes, diags);
    check_examples(sources, &codes, &topics, &intents, &i18n, &search, diags);
    if !topics.iter().any(|t| t.id == EMERGENCY) {
        diags.at_path(
            &sources.content_dir.join("topics"),
            Severity::Error,
            format!("there is no `{EMERGENCY}` topic; /sos and the 🆘 button open it"),
            format!("create content/topics/{EMERGENCY}/ with topic.toml and an article per language."),
        );
    }
    let version = fingerprint(sources);
    Some(Library {
        languages: langs.languages,
        default_language: langs.default,
        topics,
        intents,
        i18n,
        consulates,
        search,
        card,
        policy,
        version,
    })
}

/// The examples that teach the matcher: no example under two classes, enough of them for each
/// topic in each language, and an answer (`intent-<id>`) for each conversation intent in every
/// language.
fn check_examples(
    sources: &Sources,
    langs: &[&str],
    topics: &[Topic],
    intents: &[Intent],
    i18n: &I18n,
    search: &SearchConfig,
    diags: &mut Diagnostics,
) {
    let topic_dir = |t: &Topic| sources.content_dir.join("topics").join(&t.id).join("examples");
    let intent_dir = |i: &Intent| sources.content_dir.join("intents").join(&i.id);
    let mut classes: Vec<(&str, PathBuf)> = topics.iter().map(|t| (t.id.as_str(), topic_dir(t))).collect();
    classes.extend(intents.iter().map(|i| (i.id.as_str(), intent_dir(i))));
    let refs: Vec<(&str, &Path)> = classes.iter().map(|(c, p)| (*c, p.as_path())).collect();
    examples::check_conflicts(sources, &refs, diags);
    let min = search.model.min_examples;
    for t in topics {
        for lang in langs {
            let n = t.examples.get(*lang).map_or(0, Vec::len);
            if n < min {
                diags.at_path(
                    &topic_dir(t).join(format!("{lang}.txt")),
                    Severity::Warning,
                    format!("topic `{}` has {n} example messages in `{lang}`; the matcher needs at least {min} to learn it well", t.id),
                    "add the ways people ask about it, one a line, in every form of writing (huquq gaps shows real ones).",
                );
            }
        }
    }
    for intent in intents.iter().filter(|i| i.id != OFF_TOPIC) {
        for lang in langs {
            if !i18n.has(lang, &format!("intent-{}", intent.id)) {
                diags.at_path(
                    &sources.locales_dir.join(lang).join("bot.ftl"),
                    Severity::Error,
                    format!("intent `{}` has no answer in `{lang}`", intent.id),
                    format!(
                        "add `intent-{} = ...` (the bot's short answer) to this file.",
                        intent.id
                    ),
                );
            }
        }
    }
}

/// FNV-1a: stable across runs, builds and machines (std's hashers promise none of that).
fn fnv1a(bytes: impl Iterator<Item = u8>) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// A short fingerprint of every path and text.
fn fingerprint(sources: &Sources) -> String {
    let bytes = sources.files.iter().flat_map(|(path, file)| {
        let path = path.to_string_lossy().into_owned().into_bytes();
        path.into_iter().chain([0]).chain(file.text.bytes()).chain([0])
    });
    format!("{:08x}", fnv1a(bytes) >> 32)
}

/// A short fingerprint of a text, stable across builds (for names kept in the database).
pub fn fingerprint_text(text: &str) -> String {
    format!("{:08x}", fnv1a(text.bytes()) >> 32)
}
