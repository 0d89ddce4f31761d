//! Finding the topic a typed question is about.
//!
//! The index is built once from a `Library` (and rebuilt with it). Every article of every
//! language feeds its topic's document, so a Russian loanword in an Uzbek sentence finds the
//! topic through the Russian keywords too. Text is folded to one canonical Latin skeleton
//! (`normalize`), then scored with BM25F over four fields (keywords, title, summary, body) using
//! whole words, five-letter stems (for Uzbek, Kyrgyz and Tajik suffixes and Russian endings) and
//! one-typo neighbours, plus a bonus for keyword phrases found whole.

pub mod normalize;

// The index is built and queried with the fast non-cryptographic hash: its keys are our own words.
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::content::{Library, SearchConfig, EMERGENCY};

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
    /// Canonical words and stems, interned.
    strings: HashMap<String, u32>,
    postings: HashMap<Feature, Vec<Posting>>,
    avg_len: [f32; FIELDS],
    doc_len: Vec<[f32; FIELDS]>,
    /// Keyword phrases of two or more words: (stems, topic).
    phrases: Vec<(Vec<String>, u16)>,
    /// The phrases by their first stem.
    phrase_starts: HashMap<String, Vec<usize>>,
    /// One-letter deletions of indexed words -> the words, for typo tolerance.
    deletes: HashMap<String, Vec<u32>>,
    words: Vec<String>,
    stop: HashSet<String>,
    /// Canonical word -> how often each language's articles use it (titles, summaries, bodies;
    /// not keywords, which mix languages on purpose): a naive Bayes language model.
    lang_counts: HashMap<String, Vec<u32>>,
    lang_totals: Vec<u32>,
    langs: Vec<String>,
    cues: Cues,
    answer: f64,
    unsure: f64,
    margin: f64,
    off_topic_factor: f64,
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
}

/// What the bot does with a question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Open this topic.
    Answer(String),
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

impl Index {
    pub fn build(lib: &Library) -> Index {
        let config: &SearchConfig = &lib.search;
        let stop: HashSet<String> = config.stop_words.iter().flat_map(|w| normalize::tokens(w)).collect();
        let mut index = Index {
            topics: lib.topics.iter().map(|t| t.id.clone()).collect(),
            strings: HashMap::default(),
            postings: HashMap::default(),
            avg_len: [0.0; FIELDS],
            doc_len: vec![[0.0; FIELDS]; lib.topics.len()],
            phrases: Vec::new(),
            phrase_starts: HashMap::default(),
            deletes: HashMap::default(),
            words: Vec::new(),
            stop,
            lang_counts: HashMap::default(),
            lang_totals: vec![0; lib.languages.len()],
            langs: lib.languages.iter().map(|l| l.code.clone()).collect(),
            cues: Cues {
                now: cue_list(&config.emergency.now),
                danger: cue_list(&config.emergency.danger),
                alone: cue_list(&config.emergency.alone),
                general: cue_list(&config.emergency.general),
                off_topic: cue_list(&config.off_topic),
            },
            answer: config.answer,
            unsure: config.unsure,
            margin: config.margin,
            off_topic_factor: config.off_topic_factor,
            field_weights: [
                config.weights.keywords,
                config.weights.title,
                config.weights.summary,
                config.weights.body,
            ],
            weights: config.weights.clone(),
        };
        let mut tf: HashMap<(Feature, u16), [f32; FIELDS]> = HashMap::default();
        // Words of keywords, titles and summaries: the ones worth matching despite a typo.
        let mut typo_vocab: HashSet<u32> = HashSet::default();
        for (ti, topic) in lib.topics.iter().enumerate() {
            let ti = ti as u16;
            for (lang, article) in &topic.articles {
                let li = index.langs.iter().position(|l| l == lang);
                let fields: [Vec<&str>; FIELDS] = [
                    article.keywords.iter().map(String::as_str).collect(),
                    vec![article.title.as_str()],
                    vec![article.summary.as_str()],
                    vec![article.body.as_str()],
                ];
                for (fi, texts) in fields.iter().enumerate() {
                    for text in texts {
                        let folded = normalize::fold(text);
                        let mut toks: Vec<&str> = Vec::new();
                        for t in folded.split(' ').filter(|t| !t.is_empty()) {
                            // The language model learns from running text, stop words included.
                            if let (Some(li), true) = (li, fi > 0) {
                                match index.lang_counts.get_mut(t) {
                                    Some(counts) => counts[li] += 1,
                                    None => {
                                        let mut counts = vec![0; index.langs.len()];
                                        counts[li] = 1;
                                        index.lang_counts.insert(t.to_string(), counts);
                                    }
                                }
                                index.lang_totals[li] += 1;
                            }
                            if !index.stop.contains(t) {
                                toks.push(t);
                            }
                        }
                        for t in &toks {
                            let w = index.intern(t);
                            if fi < FIELDS - 1 {
                                typo_vocab.insert(w);
                            }
                            tf.entry((Feature::Word(w), ti)).or_default()[fi] += 1.0;
                            if let Some(s) = stem(t) {
                                let s = index.intern(s);
                                tf.entry((Feature::Stem(s), ti)).or_default()[fi] += 1.0;
                            }
                            index.doc_len[ti as usize][fi] += 1.0;
                        }
                        if fi == 0 && toks.len() >= 2 {
                            let stems = toks.iter().map(|t| stem(t).unwrap_or(t).to_string()).collect();
                            index.phrases.push((stems, ti));
                        }
                    }
                }
            }
        }
        for ((feature, topic), tf) in tf {
            index.postings.entry(feature).or_default().push(Posting { topic, tf });
        }
        for list in index.postings.values_mut() {
            list.sort_by_key(|p| p.topic);
        }
        index.phrases.sort();
        index.phrases.dedup();
        let n = index.doc_len.len().max(1) as f32;
        for f in 0..FIELDS {
            index.avg_len[f] = (index.doc_len.iter().map(|d| d[f]).sum::<f32>() / n).max(1.0);
        }
        for (word, id) in index.strings.iter().filter(|(w, _)| w.chars().count() >= 5) {
            if typo_vocab.contains(id) {
                for d in deletions(word) {
                    index.deletes.entry(d).or_default().push(*id);
                }
            }
        }
        for (pi, (phrase, _)) in index.phrases.iter().enumerate() {
            index.phrase_starts.entry(phrase[0].clone()).or_default().push(pi);
        }
        index.words = {
            let mut w = vec![String::new(); index.strings.len()];
            for (s, id) in &index.strings {
                w[*id as usize] = s.clone();
            }
            w
        };
        index
    }

    fn intern(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.strings.get(s) {
            return id;
        }
        let id = self.strings.len() as u32;
        self.strings.insert(s.to_string(), id);
        id
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
            let known_word = word.is_some_and(|f| self.postings.contains_key(&f));
            if let Some(f) = word.filter(|_| known_word) {
                add(f, 1.0, t, "word");
            }
            if let Some(s) = stem(t) {
                if let Some(&id) = self.strings.get(s) {
                    add(Feature::Stem(id), self.weights.stem, s, "stem");
                }
            }
            if !known_word && t.chars().count() >= 5 {
                let mut candidates: Vec<u32> = self.deletes.get(t.as_str()).cloned().unwrap_or_default();
                for d in deletions(t) {
                    if let Some(&id) = self.strings.get(d.as_str()) {
                        candidates.push(id);
                    }
                    if let Some(ids) = self.deletes.get(&d) {
                        candidates.extend(ids);
                    }
                }
                candidates.sort_unstable();
                candidates.dedup();
                for id in candidates {
                    if self.postings.contains_key(&Feature::Word(id)) {
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
            let Some(postings) = self.postings.get(&feature) else {
                continue;
            };
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
    fn is_emergency(&self, normalized: &str, emergency_leads: bool) -> bool {
        let tokens: Vec<&str> = normalized.split(' ').filter(|t| !t.is_empty()).collect();
        if Self::cue_hit(&tokens, &self.cues.alone) {
            return true;
        }
        if Self::cue_hit(&tokens, &self.cues.general) {
            return false;
        }
        Self::cue_hit(&tokens, &self.cues.danger) && (emergency_leads || Self::cue_hit(&tokens, &self.cues.now))
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
        let emergency_leads = candidates.first().is_some_and(|c| c.0 == EMERGENCY);
        let emergency = self.is_emergency(&normalized, emergency_leads);
        Ranking {
            normalized,
            candidates,
            emergency,
            off_topic,
        }
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
        // Without a sign of danger now, the emergency article is not the answer to a question:
        // its words (police, detention) belong to the topics that explain the rules.
        let ranked: Vec<&(String, f64)> = ranking.candidates.iter().filter(|c| c.0 != EMERGENCY).collect();
        let Some((best, s1)) = ranked.first().map(|c| (&c.0, c.1)) else {
            return Decision::NoAnswer;
        };
        let s2 = ranked.get(1).map_or(0.0, |c| c.1);
        if s1 >= self.answer && s1 - s2 >= self.margin * s1 {
            return Decision::Answer(best.clone());
        }
        if s1 >= self.unsure {
            let floor = s1 * 0.5;
            return Decision::Unsure(
                ranked
                    .iter()
                    .take(3)
                    .filter(|c| c.1 >= floor)
                    .map(|c| c.0.clone())
                    .collect(),
            );
        }
        Decision::NoAnswer
    }

    /// The language a question is written in, among the library's languages, by the words it
    /// shares with each language's articles and the letters only one language uses. `None` when
    /// nothing tells.
    pub fn detect_language(&self, question: &str) -> Option<String> {
        let cut: String = question.chars().take(MAX_QUESTION_CHARS).collect();
        let normalized = normalize::fold(&cut);
        let vocab = self.lang_counts.len().max(1) as f64;
        let mut scores = vec![0f64; self.langs.len()];
        let mut evidence = false;
        for t in normalized.split(' ').filter(|t| t.chars().count() >= 2) {
            let Some(counts) = self.lang_counts.get(t) else {
                continue;
            };
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

    /// The score from which the bot at least offers a topic.
    pub fn unsure(&self) -> f64 {
        self.unsure
    }

    pub fn topic_count(&self) -> usize {
        self.topics.len()
    }
}

/// The writing system of a question: "Cyrl", "Latn", or "" when it has no letters.
pub fn script(question: &str) -> &'static str {
    let (mut cyr, mut lat) = (0, 0);
    for c in question.chars() {
        if ('\u{0400}'..='\u{04FF}').contains(&c) {
            cyr += 1;
        } else if c.is_ascii_alphabetic() {
            lat += 1;
        }
    }
    match (cyr, lat) {
        (0, 0) => "",
        (c, l) if c >= l => "Cyrl",
        _ => "Latn",
    }
}

/// A place or country name as canonical tokens.
fn name_tokens(name: &str) -> Vec<String> {
    normalize::tokens(name)
}

/// Whether a typed token is a form of a name token: equal for short names, otherwise the same
/// start with room for case endings («Казани», «Qozonda», «Екатеринбурге»).
fn place_token_matches(name: &str, typed: &str) -> bool {
    let n = name.chars().count();
    let t = typed.chars().count();
    let common = name.chars().zip(typed.chars()).take_while(|(a, b)| a == b).count();
    match n {
        0 => false,
        // «Уфа», «в Уфе», «Ufada».
        1..=3 => typed == name || (common == n && t <= n + 4) || (n == 3 && t == 3 && common == 2),
        // «Казань», «Казани», «Qozonda»; but «казах» is not «Казань».
        4..=5 => common == n && t <= n + 5,
        // «Москва», «в Москве»: the last letter may change.
        _ => common + 1 >= n && t <= n + 5,
    }
}

/// Where in `tokens` the name occurs (all its tokens in a row), as the matched length.
fn find_name(
    tokens: &[String],
    name: &[String],
    taken: &[bool],
    matches: fn(&str, &str) -> bool,
) -> Option<(usize, usize)> {
    if name.is_empty() || name.len() > tokens.len() {
        return None;
    }
    (0..=tokens.len() - name.len()).find_map(|start| {
        let ok = name
            .iter()
            .enumerate()
            .all(|(i, n)| !taken[start + i] && matches(n, &tokens[start + i]));
        ok.then(|| (start, name.iter().map(String::len).sum()))
    })
}

impl Index {
    fn country_spans(&self, consulates: &crate::content::Consulates, tokens: &[String]) -> (Option<String>, Vec<bool>) {
        let mut taken = vec![false; tokens.len()];
        let mut best: Option<(usize, String)> = None;
        for c in &consulates.countries {
            let names = c.aliases.iter().chain(c.name.values());
            for name in names {
                let nt = name_tokens(name);
                let stem = |name: &str, typed: &str| typed.starts_with(name);
                if let Some((start, len)) = find_name(tokens, &nt, &vec![false; tokens.len()], stem) {
                    for t in taken.iter_mut().skip(start).take(nt.len()) {
                        *t = true;
                    }
                    if best.as_ref().is_none_or(|(l, _)| len > *l) {
                        best = Some((len, c.code.clone()));
                    }
                }
            }
        }
        (best.map(|(_, c)| c), taken)
    }

    /// The home country a text names («узбекистана», «qirgʻiz», «тоҷик»), if any.
    pub fn find_country(&self, consulates: &crate::content::Consulates, text: &str) -> Option<String> {
        let tokens = normalize::tokens(text);
        self.country_spans(consulates, &tokens).0
    }

    /// The Russian region a text names by a city, a region name or a common spelling.
    pub fn find_region<'c>(
        &self,
        consulates: &'c crate::content::Consulates,
        text: &str,
    ) -> Option<&'c crate::content::Region> {
        let tokens = normalize::tokens(text);
        let (_, taken) = self.country_spans(consulates, &tokens);
        let mut best: Option<(usize, &crate::content::Region)> = None;
        for region in &consulates.regions {
            let city_names = region
                .cities
                .iter()
                .flat_map(|c| c.aliases.iter().chain(c.name.values()));
            for name in region.aliases.iter().chain(region.name.values()).chain(city_names) {
                let nt = name_tokens(name);
                if let Some((_, len)) = find_name(&tokens, &nt, &taken, place_token_matches) {
                    if best.is_none_or(|(l, _)| len > l) {
                        best = Some((len, region));
                    }
                }
            }
        }
        best.map(|(_, r)| r)
    }
}
