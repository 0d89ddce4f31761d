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
    #[serde(default)]
    pub model: ModelConfig,
}

/// How the model learned from the examples is used (the `[model]` table).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ModelConfig {
    /// Fewer examples than this for a topic in a language is a warning.
    pub min_examples: usize,
    /// How much the keyword ranking counts beside the model (0: only the model, 1: only keywords).
    pub keywords: f64,
    /// The keyword score that counts as much as "none of the topics": a keyword score of this
    /// size makes a topic about half the keyword ranking's share.
    pub keyword_none: f64,
    /// The best topic is opened when its share reaches `answer` and leads the second by `margin`
    /// (in shares); from `unsure`, the bot offers the best topics as buttons.
    pub answer: f64,
    pub unsure: f64,
    pub margin: f64,
    /// The model alone calls an emergency from this share (the cue words still count too).
    pub emergency: f64,
    /// A conversation intent (a greeting, thanks) is answered from this share.
    pub intent: f64,
}

impl Default for ModelConfig {
    fn default() -> Self {
        ModelConfig {
            min_examples: 60,
            keywords: 0.3,
            keyword_none: 3.0,
            answer: 0.45,
            unsure: 0.2,
            margin: 0.1,
            emergency: 0.5,
            intent: 0.5,
        }
    }
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

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig {
            stop_words: Vec::new(),
            emergency: EmergencyCues::default(),
            off_topic: Vec::new(),
            off_topic_factor: default_off_topic_factor(),
            weights: Weights::default(),
            model: ModelConfig::default(),
        }
    }
}

pub fn load(sources: &Sources, diags: &mut Diagnostics) -> SearchConfig {
    let path = sources.content_dir.join("search.toml");
    let Some(file) = sources.get(&path) else {
        return SearchConfig::default();
    };
    let Some(config) = toml_util::parse::<SearchConfig>(diags, file, 0, &file.text) else {
        return SearchConfig::default();
    };
    let m = &config.model;
    let share = |x: f64| (0.0..=1.0).contains(&x);
    if !(share(m.keywords)
        && share(m.answer)
        && share(m.unsure)
        && share(m.margin)
        && share(m.emergency)
        && share(m.intent))
        || m.unsure > m.answer
    {
        diags.error(
            file,
            0,
            "[model]: `keywords`, `answer`, `unsure`, `margin`, `emergency` and `intent` are shares between 0 and 1, and `unsure` is at most `answer`",
            "set e.g. `answer = 0.45`, `unsure = 0.2`, `margin = 0.1`.",
        );
    }
    config
}
