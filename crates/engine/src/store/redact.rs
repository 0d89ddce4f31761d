//! What is left of an unanswered question before it is written down: no digits (phone, passport,
//! card and house numbers, dates), no e-mail addresses, no @usernames or links, at most 300
//! characters. Enough for an editor to see what people ask; too little to find who asked.

const MAX_CHARS: usize = 300;

pub fn redact(question: &str) -> String {
    let words: Vec<&str> = question
        .split_whitespace()
        .map(|w| {
            if w.contains('@') && w.contains('.') {
                "[email]"
            } else if w.starts_with('@') {
                "[user]"
            } else if w.contains("://") || w.starts_with("t.me/") || w.starts_with("www.") {
                "[link]"
            } else {
                w
            }
        })
        .collect();
    let text: Vec<char> = words.join(" ").chars().collect();
    // Every number, with the spaces, dashes, dots and brackets inside it («+7 (925) 123-45-67»),
    // becomes one "#".
    let is_sep = |c: char| matches!(c, ' ' | '-' | '.' | '(' | ')' | '+' | '/');
    let digit_follows = |from: usize| {
        text[from..]
            .iter()
            .find(|c| !is_sep(**c))
            .is_some_and(|c| c.is_numeric())
    };
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        let c = text[i];
        if c.is_numeric() || (matches!(c, '+' | '(') && text.get(i + 1).is_some_and(|n| n.is_numeric())) {
            let mut j = i;
            while j < text.len() && (text[j].is_numeric() || (is_sep(text[j]) && digit_follows(j))) {
                j += 1;
            }
            // A closing bracket right after the number belongs to it.
            if text.get(j) == Some(&')') {
                j += 1;
            }
            out.push('#');
            i = j;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out.chars().take(MAX_CHARS).collect::<String>().trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn removes_what_could_identify_a_person() {
        assert_eq!(
            redact("мой номер +7 (925) 123-45-67 позвоните"),
            "мой номер # позвоните"
        );
        assert_eq!(redact("паспорт FA1234567 забрали"), "паспорт FA# забрали");
        assert_eq!(
            redact("пишите на ali.valiev@mail.ru или @alivaliev"),
            "пишите на [email] или [user]"
        );
        assert_eq!(
            redact("Qozonda 2 kun ushlab turishdi 12.03.2026"),
            "Qozonda # kun ushlab turishdi #"
        );
        assert_eq!(redact("см https://t.me/some_group"), "см [link]");
        assert!(redact(&"а".repeat(1000)).chars().count() <= 300);
        assert!(!redact("телефон 8 999 123 45 67, карта 2200 1234 5678 9012")
            .chars()
            .any(|c| c.is_ascii_digit()));
    }
}
