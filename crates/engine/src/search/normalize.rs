//! One canonical form for every way of writing a word.
//!
//! Migrants type the same word in Cyrillic or Latin letters, with or without the Uzbek
//! apostrophe, with Kyrgyz and Tajik letters or their Russian look-alikes, with repeated letters
//! and typos. Everything is mapped, in one pass over the characters, to a lowercase Latin
//! skeleton: «Қўнғироқ», «qoʻngʻiroq», «qo'ng'iroq» and «qongiroq» all become `kongirok`;
//! «задержали» and «zaderjali» both become `zaderjali`; «ҳуҷҷат» and «хуччат» become `huchat`.
//! The skeleton is only for matching: articles keep their spelling.

use unicode_normalization::UnicodeNormalization;

/// The skeletons of «а»..«я», in order: the letters of almost all the text, looked up directly.
const RUSSIAN: [&str; 32] = [
    "a", "b", "v", "g", "d", "e", "j", "z", "i", "i", "k", "l", "m", "n", "o", "p", "r", "s", "t", "u", "f", "h", "ts",
    "ch", "sh", "sh", "", "i", "", "e", "iu", "ia",
];

/// Appends the Latin skeleton of one lowercase character to `out`.
fn push_folded(out: &mut String, c: char) {
    let s: &str = match c {
        'а'..='я' => RUSSIAN[(c as u32 - 'а' as u32) as usize],
        // The other Cyrillic letters: Uzbek, Kyrgyz, Tajik, Kazakh, Ukrainian, and «ё».
        'ғ' => "g",
        'ё' => "e",
        'ӣ' | 'і' => "i",
        'қ' => "k",
        'ң' => "n",
        'ө' | 'ў' => "o",
        'ӯ' | 'ү' | 'ұ' => "u",
        'ҳ' | 'һ' => "h",
        'ҷ' => "ch",
        'ә' => "a",
        // Latin letters with marks that people type on other keyboards.
        'ö' => "o",
        'ü' => "u",
        'ş' => "sh",
        'ç' => "ch",
        'ğ' => "g",
        'ı' => "i",
        // Latin letters whose sound other spellings write differently.
        'x' => "h",
        'q' => "k",
        'w' => "v",
        'y' => "i",
        c => {
            out.push(c);
            return;
        }
    };
    // One or two ASCII letters: pushed one by one, which is cheaper than copying a slice.
    for b in s.bytes() {
        out.push(char::from(b));
    }
}

/// Apostrophes and look-alikes: the Uzbek oʻ gʻ and tutuq belgisi, typed any way or not at all.
fn is_apostrophe(c: char) -> bool {
    matches!(
        c,
        '\'' | '`' | 'ʻ' | 'ʼ' | '‘' | '’' | 'ʹ' | '′' | '´' | 'ʽ' | 'ʾ' | 'ʿ'
    )
}

/// Folds `text` into space-separated canonical tokens (see the module comment), appending to
/// `out`. Letters and digits are kept; everything else separates tokens.
pub fn fold_into(text: &str, out: &mut String) {
    // Most text is made only of characters that are always in NFKC: fold it directly, and
    // start again the careful way at the first other character.
    let start = out.len();
    if fold_chars(text.chars(), out, true) {
        return;
    }
    out.truncate(start);
    // Normalizing is the slowest step, so check whether it is needed first.
    if unicode_normalization::is_nfkc_quick(text.chars()) == unicode_normalization::IsNormalized::Yes {
        fold_chars(text.chars(), out, false);
    } else {
        fold_chars(text.nfkc(), out, false);
    }
}

/// Characters that are in NFKC whatever surrounds them: ASCII, the Cyrillic letters (not the
/// combining marks U+0483..U+0489), the quotes and dashes articles use, and the common emoji.
/// A unit test checks each against the Unicode tables.
fn surely_nfkc(c: char) -> bool {
    matches!(c, '\0'..='\u{7f}' | '\u{400}'..='\u{482}' | '\u{48a}'..='\u{52f}')
        || matches!(
            c,
            '«' | '»' | '–' | '—' | '‘' | '’' | '“' | '”' | '„' | 'ʻ' | 'ʼ' | '•' | '🆘'
        )
        || matches!(c, '\u{1f300}'..='\u{1f6ff}' | '\u{1f900}'..='\u{1faff}')
}

/// «№», which NFKC spells "No": law citations are full of it, so the fast path folds it itself.
const NUMERO: char = '№';

/// Lowercase of the letters and digits that make up almost all text here (ASCII and basic
/// Cyrillic), without Unicode table look-ups; `None` for anything else.
fn common_lower(c: char) -> Option<char> {
    match c {
        'a'..='z' | '0'..='9' | 'а'..='я' | 'ѐ'..='џ' => Some(c),
        'A'..='Z' => Some(c.to_ascii_lowercase()),
        'А'..='Я' => char::from_u32(c as u32 + 0x20),
        'Ѐ'..='Џ' => char::from_u32(c as u32 + 0x50),
        _ => None,
    }
}

/// Per-character folding into words, each word then rewritten to its fixed point. The rewrites
/// (digraphs, repeats) never reach across a space, so doing them word by word in reused
/// buffers gives the same result as doing them on the whole text, without its allocations.
///
/// With `only_surely_nfkc`, stops at the first character that is not surely in NFKC and returns
/// false.
fn fold_chars(chars: impl Iterator<Item = char>, out: &mut String, only_surely_nfkc: bool) -> bool {
    let mut words = WordFolder {
        raw: String::new(),
        a: String::new(),
        b: String::new(),
        first: true,
    };
    for c in chars {
        if let Some(l) = common_lower(c) {
            push_folded(&mut words.raw, l);
            continue;
        }
        if only_surely_nfkc && !surely_nfkc(c) && c != NUMERO {
            return false;
        }
        if c == NUMERO {
            // Only reached without NFKC, next to characters that do not combine with it.
            words.raw.push_str("no");
            continue;
        }
        if c.is_ascii() {
            // Not a letter or digit (those were handled above): an apostrophe, or a separator.
            if !is_apostrophe(c) {
                words.flush(out);
            }
            continue;
        }
        // Apostrophes go; so do combining marks (NFKC has already composed the letters that
        // matter, and a stray mark only makes spellings differ).
        if is_apostrophe(c) || unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        if c.is_alphanumeric() {
            // «İ» lowercases to "i" and a combining dot, which goes like any other mark.
            for l in c
                .to_lowercase()
                .filter(|l| !unicode_normalization::char::is_combining_mark(*l))
            {
                push_folded(&mut words.raw, l);
            }
        } else {
            words.flush(out);
        }
    }
    words.flush(out);
    true
}

struct WordFolder {
    /// The word being read, folded letter by letter.
    raw: String,
    a: String,
    b: String,
    /// No word has been written yet.
    first: bool,
}

impl WordFolder {
    /// Rewrites the word read so far and appends it to `out`.
    fn flush(&mut self, out: &mut String) {
        if self.raw.is_empty() {
            return;
        }
        // A rewrite can make a new digraph («zkh» -> «zh»), so the pass runs until nothing
        // changes (at most four times): folding folded text changes nothing.
        self.a.clear();
        if !needs_rewriting(self.raw.as_bytes()) {
            // Most words: nothing to rewrite, so no pass.
            self.push(out, true);
            return;
        }
        let mut risky = digraph_pass(&self.raw, &mut self.a);
        for _ in 0..3 {
            if !risky {
                break;
            }
            self.b.clear();
            let again = digraph_pass(&self.a, &mut self.b);
            risky = again && self.a != self.b;
            std::mem::swap(&mut self.a, &mut self.b);
        }
        self.push(out, false);
    }

    /// Appends the word (`raw` as read, or the rewritten `a`) to `out` and starts the next.
    fn push(&mut self, out: &mut String, raw: bool) {
        let word = if raw { &self.raw } else { &self.a };
        if !word.is_empty() {
            if !self.first {
                out.push(' ');
            }
            out.push_str(word);
            self.first = false;
        }
        self.raw.clear();
    }
}

/// Whether a rewriting pass could change `word`: only "c", "h" (in zh, kh, sch), a "4" (for «ч»)
/// and a letter written twice in a row are ever rewritten.
fn needs_rewriting(word: &[u8]) -> bool {
    word.iter().any(|&b| b == b'c' || b == b'h' || b == b'4')
        || word.windows(2).any(|w| w[0] == w[1] && w[0].is_ascii_alphabetic())
}

/// Russian typed in Latin letters writes «ч» as "4" ("4to", "perevod4ik", "ho4u"): a lone "4"
/// (no digit on either side: "24ch" stays 24 hours, "444" stays a number) after a letter, or
/// before one, is "ch". `out` is what the word has become so far, so that folding folded text
/// changes nothing (found by fuzzing: runs of "4" after an "s" kept making new digraphs).
fn four_is_che(out: &str, next: Option<u8>) -> bool {
    if next.is_some_and(|n| n.is_ascii_digit()) {
        return false;
    }
    match out.as_bytes().last() {
        Some(b) if b.is_ascii_alphabetic() => true,
        Some(b) if b.is_ascii_digit() => false,
        _ => next.is_some_and(|n| n.is_ascii_alphabetic()),
    }
}

/// One rewriting pass over a word: Latin digraphs that other spellings write with one letter
/// become that letter, and runs of one letter ("помогитееее", "ҳуҷҷат") become one. Returns
/// whether it joined letters in a way that could make a new digraph.
fn digraph_pass(word: &str, out: &mut String) -> bool {
    let bytes = word.as_bytes();
    let mut risky = false;
    let mut i = 0;
    while i < bytes.len() {
        let rest = &bytes[i..];
        let next = rest.get(1).copied();
        let (piece, len): (&str, usize) = match rest[0] {
            b's' if rest.starts_with(b"shch") => ("sh", 4),
            b's' if rest.starts_with(b"sch") => ("sh", 3),
            b'z' if next == Some(b'h') => ("j", 2),
            b'k' if next == Some(b'h') => ("h", 2),
            b'c' if next == Some(b'h') => ("ch", 2),
            b's' if next == Some(b'h') => ("sh", 2),
            b't' if next == Some(b's') => ("ts", 2),
            b'c' => ("ts", 1),
            b'4' if four_is_che(out, next) => ("ch", 1),
            _ => {
                let ch = word[i..].chars().next().unwrap_or(' ');
                (&word[i..i + ch.len_utf8()], ch.len_utf8())
            }
        };
        i += len;
        let letter = piece.len() == 1 && piece.as_bytes()[0].is_ascii_alphabetic();
        if letter && out.ends_with(piece) {
            // Dropping a repeat joins its neighbours.
            risky = true;
            continue;
        }
        // A rewritten piece, or an "h" after z/k/s/c, may form a digraph with what precedes it.
        if piece.len() != len || (piece == "h" && out.ends_with(['z', 'k', 's', 'c'])) {
            risky = true;
        }
        match piece.as_bytes() {
            &[b] => out.push(char::from(b)),
            _ => out.push_str(piece),
        }
    }
    risky
}

pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    fold_into(text, &mut out);
    out
}

/// The canonical tokens of `text`.
pub fn tokens(text: &str) -> Vec<String> {
    fold(text)
        .split(' ')
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

/// Lowercase words with their own letters (for language detection), apostrophes unified.
pub fn exact_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    for c in text.nfkc() {
        if is_apostrophe(c) {
            cur.push('ʻ');
        } else if c.is_alphanumeric() {
            cur.extend(c.to_lowercase());
        } else if !cur.is_empty() {
            words.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uzbek_apostrophes_and_scripts_meet() {
        for form in [
            "Қўнғироқ",
            "qoʻngʻiroq",
            "qo'ng'iroq",
            "qo`ng`iroq",
            "qongiroq",
            "QO‘NG‘IROQ",
        ] {
            assert_eq!(fold(form), "kongirok", "{form}");
        }
        assert_eq!(fold("ma'muriy"), fold("маъмурий"));
        assert_eq!(fold("ushlab turish"), fold("ушлаб туриш"));
    }

    #[test]
    fn russian_in_latin_letters_meets_cyrillic() {
        assert_eq!(fold("задержали"), fold("zaderjali"));
        assert_eq!(fold("задержали"), fold("zaderzhali"));
        assert_eq!(fold("реестр"), fold("reestr"));
        assert_eq!(fold("консульство"), fold("konsulstvo"));
        assert_eq!(fold("выдворение"), fold("vydvorenie"));
        assert_eq!(fold("щас"), fold("shas"));
        assert_eq!(fold("4to"), fold("что"));
        assert_eq!(fold("perevod4ika"), fold("переводчика"));
        assert_eq!(fold("24 4asa"), fold("24 часа"));
        assert_eq!(fold("24ч"), "24ch");
        assert_eq!(fold("b24"), "b24");
        assert_eq!(fold("s444z"), "s444z");
        // Found by cargo fuzz: runs of "4" after an "s" were not stable under refolding.
        let text = "chikarish uchpodpisiva2008\r444444444t44444444444444y talon regis444444444za";
        assert_eq!(fold(&fold(text)), fold(text));
    }

    #[test]
    fn tajik_and_kyrgyz_letters_fold_to_their_look_alikes() {
        assert_eq!(fold("ҳуҷҷат"), fold("хуччат"));
        assert_eq!(fold("боздошт"), "bozdosht");
        assert_eq!(fold("текшерүү"), fold("текшеруу"));
        assert_eq!(fold("мөөнөт"), fold("моонот"));
        assert_eq!(fold("қонунӣ"), fold("конуни"));
    }

    #[test]
    fn punctuation_emoji_and_repeats_go() {
        assert_eq!(fold("Помогитееее!!! 🆘🆘"), "pomogite");
        assert_eq!(fold("  48 часов?? "), "48 chasov");
        assert_eq!(fold("30 000 рублей, 100"), "30 000 rublei 100");
        assert_eq!(tokens("a,b;;d"), vec!["a", "b", "d"]);
        assert_eq!(fold(""), "");
        assert_eq!(fold("🙂🙂"), "");
    }

    /// The first, whole-text implementation, kept as the reference the fast one must equal.
    fn reference_fold(text: &str) -> String {
        fn pass(raw: &str) -> (String, bool) {
            let mut out = String::with_capacity(raw.len());
            let mut risky = false;
            let mut i = 0;
            while i < raw.len() {
                let rest = &raw[i..];
                let (piece, len): (&str, usize) = if rest.starts_with("shch") || rest.starts_with("sch") {
                    ("sh", if rest.starts_with("shch") { 4 } else { 3 })
                } else if rest.starts_with("zh") {
                    ("j", 2)
                } else if rest.starts_with("kh") {
                    ("h", 2)
                } else if rest.starts_with("ch") || rest.starts_with("sh") || rest.starts_with("ts") {
                    (&rest[..2], 2)
                } else if rest.starts_with('c') {
                    ("ts", 1)
                } else if rest.starts_with('4') && four_is_che(&out, rest.as_bytes().get(1).copied()) {
                    ("ch", 1)
                } else {
                    let ch = rest.chars().next().unwrap_or(' ');
                    (&rest[..ch.len_utf8()], ch.len_utf8())
                };
                i += len;
                let letter = piece.len() == 1 && piece.as_bytes()[0].is_ascii_alphabetic();
                if letter && out.ends_with(piece) {
                    risky = true;
                    continue;
                }
                if piece == " " && (out.is_empty() || out.ends_with(' ')) {
                    continue;
                }
                if piece.len() != len || (piece == "h" && out.ends_with(['z', 'k', 's', 'c'])) {
                    risky = true;
                }
                out.push_str(piece);
            }
            (out, risky)
        }
        let mut raw = String::new();
        for c in text.nfkc() {
            if is_apostrophe(c) || unicode_normalization::char::is_combining_mark(c) {
                continue;
            }
            if c.is_alphanumeric() {
                for l in c
                    .to_lowercase()
                    .filter(|l| !unicode_normalization::char::is_combining_mark(*l))
                {
                    push_folded(&mut raw, l);
                }
            } else if !raw.ends_with(' ') {
                raw.push(' ');
            }
        }
        let (mut current, mut changed) = pass(&raw);
        for _ in 0..3 {
            if !changed {
                break;
            }
            let (next, again) = pass(&current);
            changed = again && next != current;
            current = next;
        }
        current.trim_end().to_string()
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        /// The word-by-word folding equals the whole-text reference on any mix of scripts,
        /// digraph letters, repeats, marks and separators.
        #[test]
        fn fast_fold_equals_the_reference(
            text in "([szkchtjaeiouyxqw]|[а-яёңөүҳҷӣӯқғўҚҲ]|[SZKCH]|ʻ|'|\\u{301}|\\u{483}|ﬁ|Ｋ|…|№|«| |,|!|1|4|🆘){0,40}"
        ) {
            proptest::prop_assert_eq!(fold(&text), reference_fold(&text));
        }
    }

    #[test]
    fn the_nfkc_shortcut_agrees_with_the_unicode_tables() {
        for c in (0..=0x10ffffu32).filter_map(char::from_u32).filter(|&c| surely_nfkc(c)) {
            assert_eq!(
                unicode_normalization::is_nfkc_quick(std::iter::once(c)),
                unicode_normalization::IsNormalized::Yes,
                "U+{:04X}",
                c as u32
            );
            assert_eq!(
                unicode_normalization::char::canonical_combining_class(c),
                0,
                "U+{:04X}",
                c as u32
            );
        }
    }

    #[test]
    fn shipped_articles_fold_as_the_reference_does() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content/topics");
        for entry in std::fs::read_dir(root).unwrap() {
            for file in std::fs::read_dir(entry.unwrap().path()).unwrap() {
                let path = file.unwrap().path();
                if path.is_file() {
                    let text = std::fs::read_to_string(path).unwrap();
                    assert_eq!(fold(&text), reference_fold(&text));
                }
            }
        }
    }

    #[test]
    fn the_russian_table_matches_the_letter_by_letter_mapping() {
        let expected = "a b v g d e j z i i k l m n o p r s t u f h ts ch sh sh _ i _ e iu ia";
        let got: Vec<&str> = RUSSIAN.iter().map(|s| if s.is_empty() { "_" } else { s }).collect();
        assert_eq!(got.join(" "), expected);
        assert_eq!(
            fold("абвгдежзийклмнопрстуфхцчшщъыьэюя"),
            fold("abvgdejziiklmnoprstufhtschshshieiuia")
        );
    }

    #[test]
    fn nfkc_and_case() {
        assert_eq!(fold("ＫＯＡＰ"), "koap");
        assert_eq!(fold("ПАТЕНТ"), fold("patent"));
        // Found by proptest: the lowercase of «İ» carries a combining dot.
        assert_eq!(fold("İstanbul"), "istanbul");
    }
}
