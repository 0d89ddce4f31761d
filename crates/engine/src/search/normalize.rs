//! One canonical form for every way of writing a word.
//!
//! Migrants type the same word in Cyrillic or Latin letters, with or without the Uzbek
//! apostrophe, with Kyrgyz and Tajik letters or their Russian look-alikes, with repeated letters
//! and typos. Everything is mapped, in one pass over the characters, to a lowercase Latin
//! skeleton: «Қўнғироқ», «qoʻngʻiroq», «qo'ng'iroq» and «qongiroq» all become `kongirok`;
//! «задержали» and «zaderjali» both become `zaderjali`; «ҳуҷҷат» and «хуччат» become `huchat`.
//! The skeleton is only for matching: articles keep their spelling.

use unicode_normalization::UnicodeNormalization;

/// Appends the Latin skeleton of one lowercase character to `out`.
fn push_folded(out: &mut String, c: char) {
    let s: &str = match c {
        // Russian and shared Cyrillic.
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' | 'ғ' => "g",
        'д' => "d",
        'е' | 'ё' | 'э' => "e",
        'ж' => "j",
        'з' => "z",
        'и' | 'й' | 'ы' | 'ӣ' | 'і' => "i",
        'к' | 'қ' => "k",
        'л' => "l",
        'м' => "m",
        'н' | 'ң' => "n",
        'о' | 'ө' | 'ў' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' | 'ӯ' | 'ү' | 'ұ' => "u",
        'ф' => "f",
        'х' | 'ҳ' | 'һ' => "h",
        'ц' => "ts",
        'ч' | 'ҷ' => "ch",
        'ш' | 'щ' => "sh",
        'ю' => "iu",
        'я' => "ia",
        'ә' => "a",
        'ъ' | 'ь' => "",
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
    out.push_str(s);
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
    // Most text is already in NFKC; normalizing it again is the slowest step, so check first.
    if unicode_normalization::is_nfkc_quick(text.chars()) == unicode_normalization::IsNormalized::Yes {
        fold_chars(text.chars(), out);
    } else {
        fold_chars(text.nfkc(), out);
    }
}

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

fn fold_chars(chars: impl Iterator<Item = char>, out: &mut String) {
    let mut raw = String::new();
    for c in chars {
        if let Some(l) = common_lower(c) {
            push_folded(&mut raw, l);
            continue;
        }
        // Apostrophes go; so do combining marks (NFKC has already composed the letters that
        // matter, and a stray mark only makes spellings differ).
        if is_apostrophe(c) || unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        if c.is_alphanumeric() {
            for l in c.to_lowercase() {
                push_folded(&mut raw, l);
            }
        } else if !raw.ends_with(' ') {
            raw.push(' ');
        }
    }
    // Latin digraphs that other spellings write with one letter, and runs of one letter
    // ("помогитееее", "ҳуҷҷат") become one. A rewrite can make a new digraph («zkh» -> «zh»), so
    // the pass runs until nothing changes: folding folded text changes nothing.
    let (mut current, mut changed) = digraph_pass(&raw);
    for _ in 0..3 {
        if !changed {
            break;
        }
        let (next, again) = digraph_pass(&current);
        changed = again && next != current;
        current = next;
    }
    out.push_str(current.trim_end());
}

/// One rewriting pass, and whether it joined letters in a way that could make a new digraph.
fn digraph_pass(raw: &str) -> (String, bool) {
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
        } else {
            let ch = rest.chars().next().unwrap_or(' ');
            (&rest[..ch.len_utf8()], ch.len_utf8())
        };
        i += len;
        let letter = piece.len() == 1 && piece.as_bytes()[0].is_ascii_alphabetic();
        if letter && out.ends_with(piece) {
            // Dropping a repeat joins its neighbours.
            risky = true;
            continue;
        }
        if piece == " " && (out.is_empty() || out.ends_with(' ')) {
            continue;
        }
        // A rewritten piece, or an "h" after z/k/s/c, may form a digraph with what precedes it.
        if piece.len() != len || (piece == "h" && out.ends_with(['z', 'k', 's', 'c'])) {
            risky = true;
        }
        out.push_str(piece);
    }
    (out, risky)
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

    #[test]
    fn nfkc_and_case() {
        assert_eq!(fold("ＫＯＡＰ"), "koap");
        assert_eq!(fold("ПАТЕНТ"), fold("patent"));
    }
}
