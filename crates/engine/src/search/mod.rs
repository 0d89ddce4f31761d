//! Finding the topic a typed question is about.
//!
//! The index is built once from a `Library` (and rebuilt with it). Every article of every
//! language feeds its topic's document, so a Russian loanword in an Uzbek sentence finds the
//! topic through the Russian keywords too. Text is folded to one canonical Latin skeleton
//! (`normalize`), then scored with BM25F over four fields (keywords, title, summary, body) using
//! whole words, five-letter stems (for Uzbek, Kyrgyz and Tajik suffixes and Russian endings) and
//! one-typo neighbours, plus a bonus for keyword phrases found whole.

pub mod model;
pub mod normalize;

// The index is built and queried with the fast non-cryptographic hash: its keys are our own words.
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::content::{Library, ModelConfig, SearchConfig, EMERGENCY, OFF_TOPIC};
use model::Model;

const FIELDS: usize = 4;
const FIELD_NAMES: [&str; FIELDS] = ["keywords", "title", "summary", "body"];
const FIELD_B: [f32; FIELDS] = [0.3, 0.5, 0.5, 0.75];
const STEM_LEN: usize = 5;
/// Questions longer than this are cut before matching: a dictated monologue has its point early,
/// and the cut bounds the work per message.
pub const MAX_QUESTION_CHARS: usize = 1000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Feature {
    Word(u32),
    Stem(u32),
}

#[derive(Debug, Clone, Copy)]
struct Posting {
    topic: u16,
    tf: [f32; FIELDS],
}

/// A search index over one `Library`.
#[derive(Debug)]
pub struct Index {
    topics: Vec<String>,
    /// Canonical words and stems, interned (stop words too, for the language model).
    strings: HashMap<String, u32>,
    /// Postings of each interned string as a whole word and as a stem, by its id.
    word_postings: PostingLists,
    stem_postings: PostingLists,
    avg_len: [f32; FIELDS],
    doc_len: Vec<[f32; FIELDS]>,
    /// Keyword phrases of two or more words: (stems, topic).
    phrases: Vec<(Vec<String>, u16)>,
    /// The phrases by their first stem.
    phrase_starts: HashMap<String, Vec<usize>>,
    /// One-letter deletions of indexed words, as (hash of the deletion, word id), sorted: for
    /// typo tolerance. A hash match is confirmed against the word itself (`is_deletion`).
    deletes: Vec<(u64, u32)>,
    words: Vec<String>,
    stop: HashSet<String>,
    /// How often each language's articles use each interned word (titles, summaries, bodies;
    /// not keywords, which mix languages on purpose): a naive Bayes language model. Flat, one
    /// row of `langs.len()` counts per string id.
    lang_counts: Vec<u32>,
    /// How many words have a count in `lang_counts`.
    lang_vocab: usize,
    lang_totals: Vec<u32>,
    langs: Vec<String>,
    cues: Cues,
    off_topic_factor: f64,
    /// The classifier trained from the examples; its classes are the topics, then the intents.
    model: Model,
    model_config: ModelConfig,
    field_weights: [f32; FIELDS],
    weights: crate::content::Weights,
}

/// One cue word: the start of a typed word, or (written with a leading "-") its end.
#[derive(Debug, Clone, PartialEq, Eq)]
enum CueWord {
    Prefix(String),
    Suffix(String),
}

impl CueWord {
    /// A cue word matches the start (or, for suffixes, the end) of a typed word. A short one
    /// (three letters or fewer) must be the whole word ("ли" is not the start of «liniya»),
    /// unless it ends a phrase, where it is usually a verb stem («алып кет» ~ «алып кетишти»).
    fn matches(&self, token: &str, ends_phrase: bool) -> bool {
        match self {
            CueWord::Prefix(p) if p.chars().count() <= 3 && !ends_phrase => token == p,
            CueWord::Prefix(p) => token.starts_with(p.as_str()),
            CueWord::Suffix(s) => token.len() > s.len() && token.ends_with(s.as_str()),
        }
    }
}

/// A cue: its words in a row in the question.
type Cue = Vec<CueWord>;

#[derive(Debug, Default)]
struct Cues {
    now: Vec<Cue>,
    danger: Vec<Cue>,
    alone: Vec<Cue>,
    general: Vec<Cue>,
    off_topic: Vec<Cue>,
}

/// What the matcher thinks of a question.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranking {
    /// The question as the matcher saw it.
    pub normalized: String,
    /// Topics with a positive score, best first.
    pub candidates: Vec<(String, f64)>,
    /// The question says someone is in danger or being detained now.
    pub emergency: bool,
    /// The question has an off-topic cue (a price, a job, a money transfer): scores were damped.
    pub off_topic: bool,
    /// Every class (topic or intent) with its share of the decision: the model's probability
    /// blended with the keyword ranking, best first.
    pub shares: Vec<(String, f64)>,
}

/// What the bot does with a question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Open this topic.
    Answer(String),
    /// Answer this conversation intent (a greeting, thanks).
    Intent(String),
    /// Not sure: offer these topics (best first) and the menu.
    Unsure(Vec<String>),
    /// Nothing fits.
    NoAnswer,
}

/// One matched term's share in a topic's score, for `huquq ask --explain`.
#[derive(Debug, Clone, PartialEq)]
pub struct Contribution {
    pub term: String,
    pub kind: &'static str,
    pub field_tf: Vec<(&'static str, f32)>,
    pub score: f64,
}

fn stem(word: &str) -> Option<&str> {
    let mut idx = word.char_indices().map(|(i, _)| i);
    let cut = idx.nth(STEM_LEN)?;
    Some(&word[..cut])
}

fn deletions(word: &str) -> Vec<String> {
    word.char_indices()
        .map(|(i, c)| {
            let mut s = String::with_capacity(word.len());
            s.push_str(&word[..i]);
            s.push_str(&word[i + c.len_utf8()..]);
            s
        })
        .collect()
}

fn hash_str(s: &str) -> u64 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one(s)
}

/// The hashes of `word` with one letter taken out, each place in turn.
fn deletion_hashes(word: &str) -> impl Iterator<Item = u64> + '_ {
    let mut buf = String::with_capacity(word.len());
    word.char_indices().map(move |(i, c)| {
        buf.clear();
        buf.push_str(&word[..i]);
        buf.push_str(&word[i + c.len_utf8()..]);
        hash_str(&buf)
    })
}

/// Whether `shorter` is `word` with one letter taken out.
fn is_deletion(word: &str, shorter: &str) -> bool {
    let common = word.bytes().zip(shorter.bytes()).take_while(|(a, b)| a == b).count();
    // Step back to a character boundary of `word`, then skip exactly one character.
    let start = (0..=common).rev().find(|&i| word.is_char_boundary(i)).unwrap_or(0);
    let Some(c) = word[start..].chars().next() else {
        return false;
    };
    word.len() == shorter.len() + c.len_utf8()
        && word[..start] == shorter[..start]
        && word[start + c.len_utf8()..] == shorter[start..]
}

fn cue_list(words: &[String]) -> Vec<Cue> {
    words
        .iter()
        .map(|w| match w.trim().strip_prefix('-') {
            Some(suffix) => normalize::tokens(suffix).into_iter().map(CueWord::Suffix).collect(),
            None => normalize::tokens(w).into_iter().map(CueWord::Prefix).collect::<Cue>(),
        })
        .filter(|c: &Cue| !c.is_empty())
        .collect()
}

/// The vocabulary while the index is built: each string's id, and per id whether it is a stop
/// word and the id of its stem, computed once per distinct word rather than once per use.
struct Vocab<'s> {
    strings: HashMap<String, u32>,
    words: Vec<String>,
    is_stop: Vec<bool>,
    stem_of: Vec<Option<u32>>,
    stop: &'s HashSet<String>,
}

impl Vocab<'_> {
    fn id(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.strings.get(s) {
            return id;
        }
        let id = self.words.len() as u32;
        self.strings.insert(s.to_string(), id);
        self.words.push(s.to_string());
        self.is_stop.push(self.stop.contains(s));
        self.stem_of.push(None);
        // A stem has no stem of its own (it is exactly `STEM_LEN` letters), so this recursion
        // ends at once.
        let stem = stem(s).map(|st| self.id(st));
        self.stem_of[id as usize] = stem;
        id
    }
}

/// Term frequencies of one topic's features, dense by string id, with the ids touched so far.
#[derive(Default)]
struct TopicCounts {
    tf: Vec<[f32; FIELDS]>,
    touched: Vec<u32>,
}

impl TopicCounts {
    fn add(&mut self, id: u32, field: usize) {
        let i = id as usize;
        if i >= self.tf.len() {
            self.tf.resize(i + 1, [0.0; FIELDS]);
        }
        if self.tf[i] == [0.0; FIELDS] {
            self.touched.push(id);
        }
        self.tf[i][field] += 1.0;
    }

    /// Moves this topic's counts into `postings` as (id, posting) and starts afresh.
    fn flush(&mut self, topic: u16, postings: &mut Vec<(u32, Posting)>) {
        for id in self.touched.drain(..) {
            let tf = std::mem::take(&mut self.tf[id as usize]);
            postings.push((id, Posting { topic, tf }));
        }
    }
}

/// The posting lists of all string ids in one allocation: the list of id `i` is
/// `items[offsets[i]..offsets[i + 1]]`, in topic order.
#[derive(Debug)]
struct PostingLists {
    offsets: Vec<u32>,
    items: Vec<Posting>,
}

impl PostingLists {
    /// From (id, posting) pairs given in topic order: a counting sort by id, which keeps that
    /// order within each list.
    fn new(n_ids: usize, pairs: &[(u32, Posting)]) -> PostingLists {
        let mut offsets = vec![0u32; n_ids + 1];
        for &(id, _) in pairs {
            offsets[id as usize + 1] += 1;
        }
        for i in 0..n_ids {
            offsets[i + 1] += offsets[i];
        }
        let mut next = offsets.clone();
        let mut items = vec![
            Posting {
                topic: 0,
                tf: [0.0; FIELDS]
            };
            pairs.len()
        ];
        for &(id, p) in pairs {
            let slot = &mut next[id as usize];
            items[*slot as usize] = p;
            *slot += 1;
        }
        PostingLists { offsets, items }
    }

    fn get(&self, id: u32) -> &[Posting] {
        let i = id as usize;
        match (self.offsets.get(i), self.offsets.get(i + 1)) {
            (Some(&a), Some(&b)) => &self.items[a as usize..b as usize],
            _ => &[],
        }
    }
}

impl Index {
    pub fn build(lib: &Library) -> Index {
        let config: &SearchConfig = &lib.search;
        let stop: HashSet<String> = config.stop_words.iter().flat_map(|w| normalize::tokens(w)).collect();
        let langs: Vec<String> = lib.languages.iter().map(|l| l.code.clone()).collect();
        let nl = langs.len();
        // Room for the vocabulary from the start, so that tables are not regrown as it fills:
        // about one new string per 32 bytes of text in the shipped content.
        let text_bytes: usize = lib
            .topics
            .iter()
            .flat_map(|t| t.articles.values())
            .map(|a| a.body.len() + a.summary.len() + a.title.len() + a.keywords.iter().map(String::len).sum::<usize>())
            .sum();
        let expected = text_bytes / 32;
        let mut vocab = Vocab {
            strings: HashMap::with_capacity_and_hasher(expected, Default::default()),
            words: Vec::with_capacity(expected),
            is_stop: Vec::with_capacity(expected),
            stem_of: Vec::with_capacity(expected),
            stop: &stop,
        };
        let mut doc_len = vec![[0.0; FIELDS]; lib.topics.len()];
        let mut lang_counts: Vec<u32> = Vec::with_capacity(expected * nl);
        let mut lang_vocab = 0;
        let mut lang_totals = vec![0; nl];
        let mut phrases: Vec<(Vec<String>, u16)> = Vec::new();
        let (mut word_postings, mut stem_postings) = (Vec::new(), Vec::new());
        let (mut word_tf, mut stem_tf) = (TopicCounts::default(), TopicCounts::default());
        // Words of keywords, titles and summaries: the ones worth matching despite a typo.
        let mut typo_vocab: Vec<bool> = Vec::new();
        let mut folded = String::new();
        let mut toks: Vec<u32> = Vec::new();
        for (ti, topic) in lib.topics.iter().enumerate() {
            let ti = ti as u16;
            for (lang, article) in &topic.articles {
                let li = langs.iter().position(|l| l == lang);
                let fields: [&[String]; FIELDS] = [
                    &article.keywords,
                    std::slice::from_ref(&article.title),
                    std::slice::from_ref(&article.summary),
                    std::slice::from_ref(&article.body),
                ];
                for (fi, texts) in fields.iter().enumerate() {
                    for text in texts.iter() {
                        folded.clear();
                        normalize::fold_into(text, &mut folded);
                        toks.clear();
                        for t in folded.split(' ').filter(|t| !t.is_empty()) {
                            let id = vocab.id(t);
                            // The language model learns from running text, stop words included.
                            if let (Some(li), true) = (li, fi > 0) {
                                let row = id as usize * nl;
                                if lang_counts.len() < row + nl {
                                    lang_counts.resize(row + nl, 0);
                                }
                                if lang_counts[row..row + nl].iter().all(|&c| c == 0) {
                                    lang_vocab += 1;
                                }
                                lang_counts[row + li] += 1;
                                lang_totals[li] += 1;
                            }
                            if !vocab.is_stop[id as usize] {
                                toks.push(id);
                            }
                        }
                        for &w in &toks {
                            if fi < FIELDS - 1 {
                                if typo_vocab.len() <= w as usize {
                                    typo_vocab.resize(w as usize + 1, false);
                                }
                                typo_vocab[w as usize] = true;
                            }
                            word_tf.add(w, fi);
                            if let Some(s) = vocab.stem_of[w as usize] {
                                stem_tf.add(s, fi);
                            }
                            doc_len[ti as usize][fi] += 1.0;
                        }
                        if fi == 0 && toks.len() >= 2 {
                            let stems = toks
                                .iter()
                                .map(|&w| vocab.words[vocab.stem_of[w as usize].unwrap_or(w) as usize].clone())
                                .collect();
                            phrases.push((stems, ti));
                        }
                    }
                }
            }
            word_tf.flush(ti, &mut word_postings);
            stem_tf.flush(ti, &mut stem_postings);
        }
        // The examples teach the language model too: they are how people write each language,
        // greetings included.
        let intent_examples = lib.intents.iter().map(|i| &i.examples);
        for by_lang in lib.topics.iter().map(|t| &t.examples).chain(intent_examples) {
            for (lang, lines) in by_lang {
                let Some(li) = langs.iter().position(|l| l == lang) else {
                    continue;
                };
                for line in lines {
                    folded.clear();
                    normalize::fold_into(line, &mut folded);
                    for t in folded.split(' ').filter(|t| !t.is_empty()) {
                        let id = vocab.id(t);
                        let row = id as usize * nl;
                        if lang_counts.len() < row + nl {
                            lang_counts.resize(row + nl, 0);
                        }
                        if lang_counts[row..row + nl].iter().all(|&c| c == 0) {
                            lang_vocab += 1;
                        }
                        lang_counts[row + li] += 1;
                        lang_totals[li] += 1;
                    }
                }
            }
        }
        let n_ids = vocab.words.len();
        let word_postings = PostingLists::new(n_ids, &word_postings);
        let stem_postings = PostingLists::new(n_ids, &stem_postings);
        lang_counts.resize(n_ids * nl, 0);
        phrases.sort();
        phrases.dedup();
        let mut avg_len = [0.0; FIELDS];
        let n = doc_len.len().max(1) as f32;
        for (f, avg) in avg_len.iter_mut().enumerate() {
            *avg = (doc_len.iter().map(|d| d[f]).sum::<f32>() / n).max(1.0);
        }
        let mut deletes: Vec<(u64, u32)> = Vec::new();
        for (id, word) in vocab.words.iter().enumerate() {
            if typo_vocab.get(id).copied().unwrap_or(false) && word.chars().count() >= 5 {
                deletes.extend(deletion_hashes(word).map(|h| (h, id as u32)));
            }
        }
        deletes.sort_unstable();
        deletes.dedup();
        let mut phrase_starts: HashMap<String, Vec<usize>> = HashMap::default();
        for (pi, (phrase, _)) in phrases.iter().enumerate() {
            phrase_starts.entry(phrase[0].clone()).or_default().push(pi);
        }
        Index {
            topics: lib.topics.iter().map(|t| t.id.clone()).collect(),
            strings: vocab.strings,
            word_postings,
            stem_postings,
            avg_len,
            doc_len,
            phrases,
            phrase_starts,
            deletes,
            words: vocab.words,
            stop,
            lang_counts,
            lang_vocab,
            lang_totals,
            langs,
            cues: Cues {
                now: cue_list(&config.emergency.now),
                danger: cue_list(&config.emergency.danger),
                alone: cue_list(&config.emergency.alone),
                general: cue_list(&config.emergency.general),
                off_topic: cue_list(&config.off_topic),
            },
            off_topic_factor: config.off_topic_factor,
            model: train(lib),
            model_config: config.model.clone(),
            field_weights: [
                config.weights.keywords,
                config.weights.title,
                config.weights.summary,
                config.weights.body,
            ],
            weights: config.weights.clone(),
        }
    }

    /// The indexed words that become `deletion` when one letter is taken out (and are not
    /// `typed` itself).
    fn deleted_to<'a>(&'a self, deletion: &'a str, typed: &'a str) -> impl Iterator<Item = u32> + 'a {
        let h = hash_str(deletion);
        let start = self.deletes.partition_point(|&(x, _)| x < h);
        self.deletes[start..]
            .iter()
            .take_while(move |&&(x, _)| x == h)
            .map(|&(_, id)| id)
            .filter(move |&id| {
                let word = self.words[id as usize].as_str();
                word != typed && is_deletion(word, deletion)
            })
    }

    fn postings(&self, feature: Feature) -> &[Posting] {
        let (lists, id) = match feature {
            Feature::Word(id) => (&self.word_postings, id),
            Feature::Stem(id) => (&self.stem_postings, id),
        };
        lists.get(id)
    }

    /// Inverse document frequency, counting the topics that name the term in their keywords,
    /// title or summary: that a word also occurs in other articles' running text (every article
    /// mentions the police) does not make it less telling. Terms found only in running text
    /// count all the topics that use them.
    fn idf(&self, postings: &[Posting]) -> f32 {
        let n = self.topics.len() as f32;
        let strong = postings
            .iter()
            .filter(|p| p.tf[..FIELDS - 1].iter().any(|&t| t > 0.0))
            .count();
        let df = if strong > 0 { strong } else { postings.len() } as f32;
        (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
    }

    /// Query features with their weights (deduplicated, keeping the highest weight).
    fn features(&self, tokens: &[String]) -> Vec<(Feature, f32, String, &'static str)> {
        let mut out: Vec<(Feature, f32, String, &'static str)> = Vec::new();
        let mut add = |f: Feature, w: f32, term: &str, kind: &'static str| {
            if let Some(e) = out.iter_mut().find(|e| e.0 == f) {
                e.1 = e.1.max(w);
            } else {
                out.push((f, w, term.to_string(), kind));
            }
        };
        for t in tokens {
            let word = self.strings.get(t.as_str()).map(|&id| Feature::Word(id));
            let known_word = word.is_some_and(|f| !self.postings(f).is_empty());
            if let Some(f) = word.filter(|_| known_word) {
                add(f, 1.0, t, "word");
            }
            if let Some(s) = stem(t) {
                if let Some(&id) = self.strings.get(s) {
                    add(Feature::Stem(id), self.weights.stem, s, "stem");
                }
            }
            if !known_word && t.chars().count() >= 5 {
                // A letter too many (the typed word less one letter is a word), a letter missing
                // (a word less one letter is the typed word), or one letter wrong (both less one
                // letter meet).
                let mut candidates: Vec<u32> = self.deleted_to(t, t).collect();
                for d in deletions(t) {
                    if let Some(&id) = self.strings.get(d.as_str()) {
                        candidates.push(id);
                    }
                    candidates.extend(self.deleted_to(&d, t));
                }
                candidates.sort_unstable();
                candidates.dedup();
                for id in candidates {
                    if !self.postings(Feature::Word(id)).is_empty() {
                        add(Feature::Word(id), self.weights.typo, &self.words[id as usize], "typo");
                    }
                }
            }
        }
        out
    }

    fn query_tokens(&self, question: &str) -> (String, Vec<String>) {
        let cut: String = question.chars().take(MAX_QUESTION_CHARS).collect();
        let normalized = normalize::fold(&cut);
        let tokens = normalized
            .split(' ')
            .filter(|t| !t.is_empty() && !self.stop.contains(*t))
            .map(str::to_string)
            .collect();
        (normalized, tokens)
    }

    fn score_all(&self, tokens: &[String], mut explain: Option<&mut Vec<Vec<Contribution>>>) -> Vec<f64> {
        let mut scores = vec![0f64; self.topics.len()];
        for (feature, qw, term, kind) in self.features(tokens) {
            let postings = self.postings(feature);
            let idf = self.idf(postings);
            for p in postings {
                let ti = p.topic as usize;
                let tf: f32 = (0..FIELDS)
                    .map(|f| {
                        let norm = 1.0 - FIELD_B[f] + FIELD_B[f] * self.doc_len[ti][f] / self.avg_len[f];
                        self.field_weights[f] * p.tf[f] / norm
                    })
                    .sum();
                let k1 = self.weights.k1;
                let s = f64::from(qw * idf * tf * (k1 + 1.0) / (k1 + tf));
                scores[ti] += s;
                if let Some(ex) = explain.as_deref_mut() {
                    let field_tf = (0..FIELDS)
                        .filter(|&f| p.tf[f] > 0.0)
                        .map(|f| (FIELD_NAMES[f], p.tf[f]))
                        .collect();
                    ex[ti].push(Contribution {
                        term: term.clone(),
                        kind,
                        field_tf,
                        score: s,
                    });
                }
            }
        }
        let stems: Vec<&str> = tokens.iter().map(|t| stem(t).unwrap_or(t)).collect();
        let mut seen: HashSet<usize> = HashSet::default();
        for (start, first) in stems.iter().enumerate() {
            for &pi in self.phrase_starts.get(*first).map(Vec::as_slice).unwrap_or_default() {
                let (phrase, topic) = &self.phrases[pi];
                let rest = &stems[start..];
                let found = rest.len() >= phrase.len() && rest.iter().zip(phrase).all(|(a, b)| *a == b.as_str());
                if !found || !seen.insert(pi) {
                    continue;
                }
                let s = f64::from(self.weights.phrase) * (phrase.len() - 1) as f64;
                scores[*topic as usize] += s;
                if let Some(ex) = explain.as_deref_mut() {
                    ex[*topic as usize].push(Contribution {
                        term: phrase.join(" "),
                        kind: "phrase",
                        field_tf: vec![("keywords", 1.0)],
                        score: s,
                    });
                }
            }
        }
        scores
    }

    fn cue_hit(tokens: &[&str], cues: &[Cue]) -> bool {
        cues.iter().any(|cue| {
            tokens.windows(cue.len()).any(|w| {
                w.iter()
                    .zip(cue)
                    .enumerate()
                    .all(|(i, (t, c))| c.matches(t, cue.len() > 1 && i + 1 == cue.len()))
            })
        })
    }

    /// Someone is in danger now: an `alone` cue ("спасите"), or a `danger` cue together with a
    /// `now` cue or with the emergency article as the best match, unless a `general` cue ("if",
    /// "ever") says the question is about the rules. Looks at every word, stop words included.
    fn is_emergency(&self, normalized: &str, emergency_leads: bool, model_says: bool) -> bool {
        let tokens: Vec<&str> = normalized.split(' ').filter(|t| !t.is_empty()).collect();
        if Self::cue_hit(&tokens, &self.cues.alone) {
            return true;
        }
        if Self::cue_hit(&tokens, &self.cues.general) {
            return false;
        }
        model_says
            || Self::cue_hit(&tokens, &self.cues.danger) && (emergency_leads || Self::cue_hit(&tokens, &self.cues.now))
    }

    /// Scores every topic for `question`.
    pub fn rank(&self, question: &str) -> Ranking {
        let (normalized, tokens) = self.query_tokens(question);
        let words: Vec<&str> = normalized.split(' ').filter(|t| !t.is_empty()).collect();
        let off_topic = Self::cue_hit(&words, &self.cues.off_topic);
        let factor = if off_topic { self.off_topic_factor } else { 1.0 };
        let scores = self.score_all(&tokens, None);
        let mut candidates: Vec<(String, f64)> = self
            .topics
            .iter()
            .zip(scores)
            .filter(|(_, s)| *s > 0.0)
            .map(|(t, s)| (t.clone(), (s * factor * 1000.0).round() / 1000.0))
            .collect();
        candidates.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let shares = self.shares(&normalized, &candidates);
        let model_says = shares
            .iter()
            .find(|(c, _)| c == EMERGENCY)
            .is_some_and(|(_, p)| *p >= self.model_config.emergency);
        let emergency_leads = candidates.first().is_some_and(|c| c.0 == EMERGENCY) || model_says;
        let emergency = self.is_emergency(&normalized, emergency_leads, model_says);
        Ranking {
            normalized,
            candidates,
            emergency,
            off_topic,
            shares,
        }
    }

    /// The model's probability of each class blended with the keyword ranking's share of each
    /// topic (its score over the sum of scores and `keyword_none`), best first.
    fn shares(&self, normalized: &str, candidates: &[(String, f64)]) -> Vec<(String, f64)> {
        let k = self.model_config.keywords;
        let total: f64 = candidates.iter().map(|c| c.1).sum::<f64>() + self.model_config.keyword_none;
        let keyword_share = |class: &str| candidates.iter().find(|c| c.0 == class).map_or(0.0, |c| c.1 / total);
        let mut out: Vec<(String, f64)> = if self.model.classes().is_empty() {
            // No examples: the keyword ranking alone.
            self.topics.iter().map(|t| (t.clone(), keyword_share(t))).collect()
        } else {
            self.model
                .classes()
                .iter()
                .zip(self.model.probabilities(normalized))
                .map(|(c, p)| (c.clone(), (1.0 - k) * p + k * keyword_share(c)))
                .collect()
        };
        out.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        out
    }

    /// Each topic's matched terms and their shares, best topic first.
    pub fn explain(&self, question: &str) -> (Ranking, Vec<(String, Vec<Contribution>)>) {
        let ranking = self.rank(question);
        let (_, tokens) = self.query_tokens(question);
        let mut per_topic = vec![Vec::new(); self.topics.len()];
        self.score_all(&tokens, Some(&mut per_topic));
        let mut out: Vec<(String, Vec<Contribution>)> = Vec::new();
        for (id, _) in &ranking.candidates {
            if let Some(i) = self.topics.iter().position(|t| t == id) {
                let mut c = std::mem::take(&mut per_topic[i]);
                c.sort_by(|a, b| b.score.total_cmp(&a.score));
                out.push((id.clone(), c));
            }
        }
        (ranking, out)
    }

    /// What the bot does with a ranking.
    pub fn decide(&self, ranking: &Ranking) -> Decision {
        if ranking.emergency && self.topics.iter().any(|t| t == EMERGENCY) {
            return Decision::Answer(EMERGENCY.to_string());
        }
        let cfg = &self.model_config;
        let is_topic = |c: &str| self.topics.iter().any(|t| t == c);
        // Without a sign of danger now, the emergency article is not the answer to a question:
        // its words (police, detention) belong to the topics that explain the rules.
        let ranked: Vec<&(String, f64)> = ranking.shares.iter().filter(|c| c.0 != EMERGENCY).collect();
        let Some((best, s1)) = ranked.first().map(|c| (c.0.as_str(), c.1)) else {
            return Decision::NoAnswer;
        };
        if !is_topic(best) {
            return match best {
                OFF_TOPIC => Decision::NoAnswer,
                _ if s1 >= cfg.intent => Decision::Intent(best.to_string()),
                _ => Decision::NoAnswer,
            };
        }
        let s2 = ranked.get(1).map_or(0.0, |c| c.1);
        if s1 >= cfg.answer && s1 - s2 >= cfg.margin {
            return Decision::Answer(best.to_string());
        }
        if s1 >= cfg.unsure {
            let floor = s1 * 0.5;
            return Decision::Unsure(
                ranked
                    .iter()
                    .filter(|c| is_topic(&c.0) && c.1 >= floor)
                    .take(3)
                    .map(|c| c.0.clone())
                    .collect(),
            );
        }
        Decision::NoAnswer
    }

    /// The share of the decision a topic has for this ranking (0 when it has none).
    pub fn share(&self, ranking: &Ranking, topic: &str) -> f64 {
        ranking.shares.iter().find(|c| c.0 == topic).map_or(0.0, |c| c.1)
    }

    /// The share from which the bot at least offers a topic.
    pub fn unsure(&self) -> f64 {
        self.model_config.unsure
    }

    /// Why the model leans towards `class` for a question: its heaviest words and letter groups,
    /// and the most similar examples.
    pub fn why(&self, question: &str, class: &str) -> model::Why {
        let (normalized, _) = self.query_tokens(question);
        self.model.why(&normalized, class, 8)
    }

    /// The language a question is written in, among the library's languages, by the words it
    /// shares with each language's articles and the letters only one language uses. `None` when
    /// nothing tells.
    pub fn detect_language(&self, question: &str) -> Option<String> {
        let cut: String = question.chars().take(MAX_QUESTION_CHARS).collect();
        let normalized = normalize::fold(&cut);
        let vocab = self.lang_vocab.max(1) as f64;
        let nl = self.langs.len();
        let mut scores = vec![0f64; self.langs.len()];
        let mut evidence = false;
        for t in normalized.split(' ').filter(|t| t.chars().count() >= 2) {
            let Some(&id) = self.strings.get(t) else {
                continue;
            };
            let counts = &self.lang_counts[id as usize * nl..(id as usize + 1) * nl];
            if counts.iter().all(|&c| c == 0) {
                continue;
            }
            evidence = true;
            for (i, s) in scores.iter_mut().enumerate() {
                let total = f64::from(self.lang_totals[i]);
                *s += ((f64::from(counts[i]) + 0.5) / (total + 0.5 * vocab)).ln();
            }
        }
        // Letters only one of the languages uses weigh like a telling word each.
        let mut bump = |code: &str, by: f64| {
            if let Some(i) = self.langs.iter().position(|l| l == code) {
                scores[i] += by;
                evidence = true;
            }
        };
        for c in question.chars().flat_map(char::to_lowercase) {
            match c {
                'ң' | 'ө' | 'ү' => bump("ky", 4.0),
                'ҷ' | 'ӣ' | 'ӯ' => bump("tg", 4.0),
                'ў' | 'ʻ' => bump("uz", 4.0),
                'ҳ' | 'қ' | 'ғ' => {
                    bump("uz", 2.0);
                    bump("tg", 2.0);
                }
                _ => {}
            }
        }
        if !evidence {
            return None;
        }
        let best = scores.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1))?.0;
        Some(self.langs[best].clone())
    }
}

/// The classifier trained from the topics' and intents' examples, every language together.
fn train(lib: &Library) -> Model {
    let mut classes: Vec<String> = Vec::new();
    let mut examples: Vec<(usize, String)> = Vec::new();
    let topic_examples = lib.topics.iter().map(|t| (&t.id, &t.examples));
    let intent_examples = lib.intents.iter().map(|i| (&i.id, &i.examples));
    for (id, by_lang) in topic_examples.chain(intent_examples) {
        if by_lang.values().all(Vec::is_empty) {
            continue;
        }
        let class = classes.len();
        classes.push(id.clone());
        for lines in by_lang.values() {
            examples.extend(lines.iter().map(|l| (class, l.clone())));
        }
        // A topic's titles and keywords say what it is about too.
        if let Some(topic) = lib.topic(id) {
            for a in topic.articles.values() {
                examples.push((class, a.title.clone()));
                examples.extend(a.keywords.iter().map(|k| (class, k.clone())));
            }
        }
    }
    if classes.len() < 2 {
        return Model::default();
    }
    Model::train(classes, examples)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deletion_is_the_word_less_exactly_one_letter() {
        for (word, shorter) in [
            ("zaderjali", "zaderjal"),
            ("zaderjali", "aderjali"),
            ("zaderjali", "zadejali"),
            ("aab", "ab"),
            ("ҳуҷат", "ҳуат"),
            ("ҳуҷат", "уҷат"),
        ] {
            assert!(is_deletion(word, shorter), "{word} {shorter}");
            assert!(
                deletion_hashes(word).any(|h| h == hash_str(shorter)),
                "{word} {shorter}"
            );
        }
        for (word, shorter) in [
            ("zaderjali", "zaderjali"),
            ("zaderjali", "zadrjal"),
            ("zaderjali", "zaderjalu"),
            ("ҳуҷат", "ҳуқат"),
            ("ab", ""),
        ] {
            assert!(!is_deletion(word, shorter), "{word} {shorter}");
        }
    }
}
