//! Finding the topic a typed question is about.
//!
//! The index is built once from a `Library` (and rebuilt with it). Every article of every
//! language feeds its topic's document, so a Russian loanword in an Uzbek sentence finds the
//! topic through the Russian keywords too. Text is folded to one canonical Latin skeleton
//! (`normalize`), then scored with BM25F over four fields (keywords, title, summary, body) using
//! whole words, five-letter stems (for Uzbek, Kyrgyz and Tajik suffixes and Russian endings) and
//! one-typo neighbours, plus a bonus for keyword phrases found whole.

pub mod normalize;

use std::collections::{HashMap, HashSet};

use crate::content::{Library, SearchConfig, EMERGENCY};

const FIELDS: usize = 4;
const FIELD_NAMES: [&str; FIELDS] = ["keywords", "title", "summary", "body"];
const FIELD_WEIGHTS: [f32; FIELDS] = [3.0, 2.0, 1.0, 0.35];
const FIELD_B: [f32; FIELDS] = [0.3, 0.5, 0.5, 0.75];
const K1: f32 = 1.2;
const STEM_LEN: usize = 5;
const STEM_QUERY_WEIGHT: f32 = 0.55;
const TYPO_QUERY_WEIGHT: f32 = 0.5;
const PHRASE_BONUS: f32 = 0.9;
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
    /// One-letter deletions of indexed words -> the words, for typo tolerance.
    deletes: HashMap<String, Vec<u32>>,
    words: Vec<String>,
    stop: HashSet<String>,
    /// Canonical word -> bit set of the languages whose articles use it.
    lang_vocab: HashMap<String, u64>,
    langs: Vec<String>,
    cues: Cues,
    answer: f64,
    unsure: f64,
    margin: f64,
}

#[derive(Debug, Default)]
struct Cues {
    now: Vec<Vec<String>>,
    danger: Vec<Vec<String>>,
    alone: Vec<Vec<String>>,
    general: Vec<Vec<String>>,
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

fn cue_list(words: &[String]) -> Vec<Vec<String>> {
    words
        .iter()
        .map(|w| normalize::tokens(w))
        .filter(|t| !t.is_empty())
        .collect()
}

impl Index {
    pub fn build(lib: &Library) -> Index {
        let config: &SearchConfig = &lib.search;
        let stop: HashSet<String> = config
            .stop_words
            .iter()
            .flat_map(|w| normalize::tokens(w))
            .collect();
        let mut index = Index {
            topics: lib.topics.iter().map(|t| t.id.clone()).collect(),
            strings: HashMap::new(),
            postings: HashMap::new(),
            avg_len: [0.0; FIELDS],
            doc_len: vec![[0.0; FIELDS]; lib.topics.len()],
            phrases: Vec::new(),
            deletes: HashMap::new(),
            words: Vec::new(),
            stop,
            lang_vocab: HashMap::new(),
            langs: lib.languages.iter().map(|l| l.code.clone()).collect(),
            cues: Cues {
                now: cue_list(&config.emergency.now),
                danger: cue_list(&config.emergency.danger),
                alone: cue_list(&config.emergency.alone),
                general: cue_list(&config.emergency.general),
            },
            answer: config.answer,
            unsure: config.unsure,
            margin: config.margin,
        };
        let mut tf: HashMap<(Feature, u16), [f32; FIELDS]> = HashMap::new();
        for (ti, topic) in lib.topics.iter().enumerate() {
            let ti = ti as u16;
            for (lang, article) in &topic.articles {
                let bit = index
                    .langs
                    .iter()
                    .position(|l| l == lang)
                    .map_or(0, |p| 1u64 << p.min(63));
                let fields: [Vec<&str>; FIELDS] = [
                    article.keywords.iter().map(String::as_str).collect(),
                    vec![article.title.as_str()],
                    vec![article.summary.as_str()],
                    vec![article.body.as_str()],
                ];
                for (fi, texts) in fields.iter().enumerate() {
                    for text in texts {
                        let toks: Vec<String> = normalize::tokens(text)
                            .into_iter()
                            .filter(|t| !index.stop.contains(t))
                            .collect();
                        for t in &toks {
                            *index.lang_vocab.entry(t.clone()).or_default() |= bit;
                            let w = index.intern(t);
                            tf.entry((Feature::Word(w), ti)).or_default()[fi] += 1.0;
                            if let Some(s) = stem(t) {
                                let s = index.intern(s);
                                tf.entry((Feature::Stem(s), ti)).or_default()[fi] += 1.0;
                            }
                            index.doc_len[ti as usize][fi] += 1.0;
                        }
                        if fi == 0 && toks.len() >= 2 {
                            let stems = toks
                                .iter()
                                .map(|t| stem(t).unwrap_or(t).to_string())
                                .collect();
                            index.phrases.push((stems, ti));
                        }
                    }
                }
            }
        }
        for ((feature, topic), tf) in tf {
            index
                .postings
                .entry(feature)
                .or_default()
                .push(Posting { topic, tf });
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
            if index.postings.contains_key(&Feature::Word(*id)) {
                for d in deletions(word) {
                    index.deletes.entry(d).or_default().push(*id);
                }
            }
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

    fn idf(&self, postings: &[Posting]) -> f32 {
        let n = self.topics.len() as f32;
        let df = postings.len() as f32;
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
                    add(Feature::Stem(id), STEM_QUERY_WEIGHT, s, "stem");
                }
            }
            if !known_word && t.chars().count() >= 5 {
                let mut candidates: Vec<u32> =
                    self.deletes.get(t.as_str()).cloned().unwrap_or_default();
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
                        add(
                            Feature::Word(id),
                            TYPO_QUERY_WEIGHT,
                            &self.words[id as usize],
                            "typo",
                        );
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

    fn score_all(
        &self,
        tokens: &[String],
        mut explain: Option<&mut Vec<Vec<Contribution>>>,
    ) -> Vec<f64> {
        let mut scores = vec![0f64; self.topics.len()];
        for (feature, qw, term, kind) in self.features(tokens) {
            let Some(postings) = self.postings.get(&feature) else {
                continue;
            };
            let idf = self.idf(postings);
            for p in postings {
                let ti = p.topic as usize;
                let mut tf = 0.0;
                for f in 0..FIELDS {
                    let norm =
                        1.0 - FIELD_B[f] + FIELD_B[f] * self.doc_len[ti][f] / self.avg_len[f];
                    tf += FIELD_WEIGHTS[f] * p.tf[f] / norm;
                }
                let s = f64::from(qw * idf * tf * (K1 + 1.0) / (K1 + tf));
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
        let mut seen: HashSet<(usize, u16)> = HashSet::new();
        for (pi, (phrase, topic)) in self.phrases.iter().enumerate() {
            if stems
                .windows(phrase.len())
                .any(|w| w.iter().zip(phrase).all(|(a, b)| *a == b.as_str()))
                && seen.insert((pi, *topic))
            {
                let s = f64::from(PHRASE_BONUS) * (phrase.len() - 1) as f64;
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

    fn cue_hit(tokens: &[String], cues: &[Vec<String>]) -> bool {
        cues.iter().any(|cue| {
            cue.iter()
                .all(|c| tokens.iter().any(|t| t.starts_with(c.as_str())))
        })
    }

    fn is_emergency(&self, tokens: &[String]) -> bool {
        let general = Self::cue_hit(tokens, &self.cues.general);
        let alone = Self::cue_hit(tokens, &self.cues.alone);
        let now_and_danger =
            Self::cue_hit(tokens, &self.cues.now) && Self::cue_hit(tokens, &self.cues.danger);
        alone || (now_and_danger && !general)
    }

    /// Scores every topic for `question`.
    pub fn rank(&self, question: &str) -> Ranking {
        let (normalized, tokens) = self.query_tokens(question);
        let scores = self.score_all(&tokens, None);
        let mut candidates: Vec<(String, f64)> = self
            .topics
            .iter()
            .zip(scores)
            .filter(|(_, s)| *s > 0.0)
            .map(|(t, s)| (t.clone(), (s * 1000.0).round() / 1000.0))
            .collect();
        candidates.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let emergency = self.is_emergency(&tokens);
        Ranking {
            normalized,
            candidates,
            emergency,
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
        let Some((best, s1)) = ranking.candidates.first() else {
            return Decision::NoAnswer;
        };
        let s2 = ranking.candidates.get(1).map_or(0.0, |c| c.1);
        if *s1 >= self.answer && *s1 - s2 >= self.margin * s1 {
            return Decision::Answer(best.clone());
        }
        if *s1 >= self.unsure {
            let floor = s1 * 0.5;
            return Decision::Unsure(
                ranking
                    .candidates
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
        let (_, tokens) = self.query_tokens(question);
        let mut scores = vec![0f64; self.langs.len()];
        for t in tokens.iter().filter(|t| t.chars().count() >= 2) {
            let Some(&bits) = self.lang_vocab.get(t.as_str()) else {
                continue;
            };
            let n = bits.count_ones();
            if n == 0 {
                continue;
            }
            for (i, s) in scores.iter_mut().enumerate() {
                if i < 64 && bits & (1 << i) != 0 {
                    *s += 1.0 / f64::from(n);
                }
            }
        }
        let mut bump = |code: &str, by: f64| {
            if let Some(i) = self.langs.iter().position(|l| l == code) {
                scores[i] += by;
            }
        };
        for c in question.chars() {
            match c {
                'ң' | 'ө' | 'ү' | 'Ң' | 'Ө' | 'Ү' => bump("ky", 1.5),
                'ҷ' | 'ӣ' | 'ӯ' | 'Ҷ' | 'Ӣ' | 'Ӯ' => bump("tg", 1.5),
                'ў' | 'Ў' => bump("uz", 1.5),
                'ҳ' | 'қ' | 'ғ' | 'Ҳ' | 'Қ' | 'Ғ' => {
                    bump("uz", 0.4);
                    bump("tg", 0.4);
                }
                'ʻ' => bump("uz", 1.0),
                _ => {}
            }
        }
        let (best, &score) = scores
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(b.1))?;
        (score >= 0.5).then(|| self.langs[best].clone())
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
    let common = name
        .chars()
        .zip(typed.chars())
        .take_while(|(a, b)| a == b)
        .count();
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
    fn country_spans(
        &self,
        consulates: &crate::content::Consulates,
        tokens: &[String],
    ) -> (Option<String>, Vec<bool>) {
        let mut taken = vec![false; tokens.len()];
        let mut best: Option<(usize, String)> = None;
        for c in &consulates.countries {
            let names = c.aliases.iter().chain(c.name.values());
            for name in names {
                let nt = name_tokens(name);
                let stem = |name: &str, typed: &str| typed.starts_with(name);
                if let Some((start, len)) = find_name(tokens, &nt, &vec![false; tokens.len()], stem)
                {
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
    pub fn find_country(
        &self,
        consulates: &crate::content::Consulates,
        text: &str,
    ) -> Option<String> {
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
            for name in region
                .aliases
                .iter()
                .chain(region.name.values())
                .chain(city_names)
            {
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
