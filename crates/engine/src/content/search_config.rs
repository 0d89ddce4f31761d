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
    /// Questions with one of these (prices, jobs, money transfers, tickets) are usually about
    /// something the bot does not cover: every topic's score is multiplied by `off_topic_factor`,
    /// so only a question that is clearly about a topic still opens it.
    #[serde(default)]
    pub off_topic: Vec<String>,
    #[serde(default = "default_off_topic_factor")]
    pub off_topic_factor: f64,
    #[serde(default)]
    pub weights: Weights,
}

/// How much each kind of match counts. The defaults were tuned on tests/eval/dev.tsv and checked
/// on tests/eval/holdout.tsv.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Weights {
    /// Field weights in BM25F: a word in the keywords counts `keywords` times a word in the body.
    pub keywords: f32,
    pub title: f32,
    pub summary: f32,
    pub body: f32,
    /// BM25's saturation: how fast repeated matches stop adding.
    pub k1: f32,
    /// A typed word whose first five letters match an indexed word's (for endings and suffixes).
    pub stem: f32,
    /// A typed word one letter away from an indexed word (a typo).
    pub typo: f32,
    /// Per extra word of a keyword phrase found whole in the question.
    pub phrase: f32,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            keywords: 3.0,
            title: 2.0,
            summary: 1.0,
            body: 0.35,
            k1: 1.2,
            stem: 0.55,
            typo: 0.5,
            phrase: 0.9,
        }
    }
}

fn default_off_topic_factor() -> f64 {
    0.35
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
            off_topic: Vec::new(),
            off_topic_factor: default_off_topic_factor(),
            weights: Weights::default(),
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
