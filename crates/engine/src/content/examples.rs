//! Example messages, one a line, that teach the bot what people mean: each topic's
//! `content/topics/<id>/examples/<lang>.txt`, and each conversation intent's
//! `content/intents/<id>/<lang>.txt` (greetings, thanks, "who are you", insults, questions the bot
//! does not cover). The matcher learns from them at every load; editors add the questions the
//! bot missed (`huquq gaps`) to the right file.

use std::collections::BTreeMap;
use std::path::Path;

use super::Sources;
use crate::diag::{Diagnostics, Severity};
use crate::search::normalize;

/// The intent of questions the bot does not cover: answered with "no answer" and the menu, and
/// kept (redacted) in the question log.
pub const OFF_TOPIC: &str = "offtopic";

/// A conversation intent that is not a topic.
#[derive(Debug, Clone)]
pub struct Intent {
    pub id: String,
    /// By language code.
    pub examples: BTreeMap<String, Vec<String>>,
}

/// Reads every `<lang>.txt` in `dir`: the examples by language. Unused files are reported.
pub fn read_dir(
    sources: &Sources,
    dir: &Path,
    langs: &[&str],
    diags: &mut Diagnostics,
) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    for file in sources.files_in(dir) {
        let name = file
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let Some(lang) = name.strip_suffix(".txt").filter(|l| langs.contains(l)) else {
            diags.warning(
                file,
                0,
                format!("`{name}` is not used: examples live in one <language>.txt per language"),
                format!(
                    "rename it to one of {} or remove it.",
                    langs.iter().map(|l| format!("{l}.txt")).collect::<Vec<_>>().join(", ")
                ),
            );
            continue;
        };
        let mut lines = Vec::new();
        let mut offset = 0;
        for line in file.text.split_inclusive('\n') {
            let text = line.trim();
            if text.is_empty() && offset + line.len() < file.text.len() {
                diags.warning(
                    file,
                    offset,
                    "an empty line",
                    "remove it: every line is one example message.",
                );
            } else if !text.is_empty() {
                lines.push((offset, text.to_string()));
            }
            offset += line.len();
        }
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        let mut kept = Vec::new();
        for (at, text) in lines {
            // The same words in another script are not a repeat: people write both.
            let key = text.to_lowercase();
            if let Some(first) = seen.get(&key) {
                let (line, _) = crate::diag::line_col(&file.text, *first);
                diags.warning(
                    file,
                    at,
                    format!("the same example as on line {line}"),
                    "remove one of them.",
                );
                continue;
            }
            seen.insert(key, at);
            kept.push(text);
        }
        out.insert(lang.to_string(), kept);
    }
    out
}

/// Every intent under `content/intents/`, and a problem for each intent the bot cannot answer in
/// some language (its `intent-<id>` message is missing).
pub fn load_intents(sources: &Sources, langs: &[&str], diags: &mut Diagnostics) -> Vec<Intent> {
    let dir = sources.content_dir.join("intents");
    let mut out = Vec::new();
    for id in sources.subdirs(&dir) {
        if !super::topics::valid_id(&id) {
            diags.at_path(
                &dir.join(&id),
                Severity::Error,
                format!("intent `{id}` may only use a-z, 0-9 and `-`"),
                "rename the folder, e.g. `greeting`.",
            );
            continue;
        }
        let examples = read_dir(sources, &dir.join(&id), langs, diags);
        out.push(Intent { id, examples });
    }
    out
}

/// An example listed under two classes (two topics, or a topic and an intent) teaches the
/// matcher both: the second is an error, at its place.
pub fn check_conflicts(sources: &Sources, classes: &[(&str, &Path)], diags: &mut Diagnostics) {
    let mut owner: BTreeMap<String, &str> = BTreeMap::new();
    for (class, dir) in classes {
        for file in sources.files_in(dir) {
            let mut offset = 0;
            for line in file.text.split_inclusive('\n') {
                let key = normalize::fold(line.trim());
                if !key.is_empty() {
                    match owner.get(&key) {
                        Some(other) if other != class => diags.error(
                            file,
                            offset,
                            format!("«{}» is also an example of `{other}`", line.trim()),
                            "keep it under the one it belongs to; an example of two teaches neither.",
                        ),
                        Some(_) => {}
                        None => {
                            owner.insert(key, class);
                        }
                    }
                }
                offset += line.len();
            }
        }
    }
}
