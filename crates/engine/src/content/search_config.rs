//! `content/search.toml`: the words and thresholds the question matcher uses, kept as content so
//! that editors can tune them (and a new language needs files only).

use serde::Deserialize;

use super::toml_util;
use super::Sources;
use crate::diag::Diagnostics;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchConfig {
    /// Words that say nothing about the topic (pronouns, particles, "what", "how"), any language.
    #[serde(default)]
    pub stop_words: Vec<String>,
    /// Scores at or above `answer` open the best topic (when it leads clearly).
    #[serde(default = "default_answer")]
    pub answer: f64,
    /// Scores between `unsure` and `answer` offer the best topics as buttons.
    #[serde(default = "default_unsure")]
    pub unsure: f64,
    /// How far, as a share of its score, the best topic must lead the second to be answered
    /// without asking.
    #[serde(default = "default_margin")]
    pub margin: f64,
    #[serde(default)]
    pub emergency: EmergencyCues,
}

/// A question is an emergency when it has a `now` word and a `danger` word, or an `alone` word,
/// and no `general` word ("if", "ever"). Each entry matches the start of a word, so `забира`
/// matches «забирают»; a phrase matches when all its words do.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmergencyCues {
    #[serde(default)]
    pub now: Vec<String>,
    #[serde(default)]
    pub danger: Vec<String>,
    #[serde(default)]
    pub alone: Vec<String>,
    #[serde(default)]
    pub general: Vec<String>,
}

fn default_answer() -> f64 {
    3.0
}
fn default_unsure() -> f64 {
    1.2
}
fn default_margin() -> f64 {
    0.15
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig {
            stop_words: Vec::new(),
            answer: default_answer(),
            unsure: default_unsure(),
            margin: default_margin(),
            emergency: EmergencyCues::default(),
        }
    }
}

const KEYS: &[&str] = &[
    "stop_words",
    "answer",
    "unsure",
    "margin",
    "emergency",
    "now",
    "danger",
    "alone",
    "general",
];

pub fn load(sources: &Sources, diags: &mut Diagnostics) -> SearchConfig {
    let path = sources.content_dir.join("search.toml");
    let Some(file) = sources.get(&path) else {
        return SearchConfig::default();
    };
    let Some(config) = toml_util::parse::<SearchConfig>(diags, file, 0, &file.text, KEYS) else {
        return SearchConfig::default();
    };
    if !(config.unsure <= config.answer && config.unsure >= 0.0) {
        diags.error(
            file,
            0,
            "`unsure` must be between 0 and `answer`",
            "set e.g. `unsure = 1.2` and `answer = 3.0`.",
        );
    }
    config
}
