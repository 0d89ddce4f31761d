//! What Telegram's HTML parse mode accepts, as a checker: used by `huquq check` on every rendered
//! message and by the tests' fake Bot API server, which rejects what Telegram would reject.

use super::render::{visible_len, MESSAGE_LIMIT};

const TAGS: &[&str] = &[
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "a",
    "code",
    "pre",
    "blockquote",
    "tg-spoiler",
    "span",
    "tg-emoji",
];

/// Checks `html` the way Telegram parses a message with `parse_mode=HTML`: only known tags,
/// properly nested and closed, only the four named entities and numeric ones, `href` on links,
/// and 1..=4096 characters of text once the tags are removed. Returns the visible text.
pub fn validate(html: &str) -> Result<String, String> {
    let mut visible = String::with_capacity(html.len());
    let mut stack: Vec<String> = Vec::new();
    let mut rest = html;
    while let Some(c) = rest.chars().next() {
        match c {
            '<' => {
                let end = rest
                    .find('>')
                    .ok_or_else(|| "a `<` that does not start a tag: escape it as &lt;".to_string())?;
                let inner = &rest[1..end];
                rest = &rest[end + 1..];
                if let Some(name) = inner.strip_prefix('/') {
                    let name = name.trim().to_ascii_lowercase();
                    match stack.pop() {
                        Some(open) if open == name => {}
                        Some(open) => return Err(format!("</{name}> closes <{open}>: tags must nest")),
                        None => return Err(format!("</{name}> closes no open tag")),
                    }
                } else {
                    let name: String = inner
                        .chars()
                        .take_while(|c| !c.is_whitespace() && *c != '/')
                        .collect::<String>()
                        .to_ascii_lowercase();
                    if !TAGS.contains(&name.as_str()) {
                        return Err(format!("unsupported tag <{name}>"));
                    }
                    let attrs = inner[name.len()..].trim();
                    if name == "a" && !(attrs.starts_with("href=\"") && attrs.ends_with('"')) {
                        return Err("a link without href=\"...\"".into());
                    }
                    if name == "blockquote" && stack.iter().any(|t| t == "blockquote") {
                        return Err("blockquote inside blockquote".into());
                    }
                    stack.push(name);
                }
            }
            '&' => {
                let end = rest
                    .find(';')
                    .filter(|&e| e <= 10)
                    .ok_or_else(|| "a `&` that does not start an entity: escape it as &amp;".to_string())?;
                let entity = &rest[1..end];
                let decoded = match entity {
                    "lt" => '<',
                    "gt" => '>',
                    "amp" => '&',
                    "quot" => '"',
                    e if e.starts_with("#x") => u32::from_str_radix(&e[2..], 16)
                        .ok()
                        .and_then(char::from_u32)
                        .ok_or_else(|| format!("bad entity &{e};"))?,
                    e if e.starts_with('#') => e[1..]
                        .parse()
                        .ok()
                        .and_then(char::from_u32)
                        .ok_or_else(|| format!("bad entity &{e};"))?,
                    e => return Err(format!("unknown entity &{e};")),
                };
                visible.push(decoded);
                rest = &rest[end + 1..];
            }
            c if c.is_control() && !matches!(c, '\n' | '\t' | '\r') => {
                return Err(format!("invisible control character U+{:04X}", u32::from(c)));
            }
            c => {
                visible.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    if let Some(open) = stack.pop() {
        return Err(format!("<{open}> is never closed"));
    }
    if visible.trim().is_empty() {
        return Err("message text is empty".into());
    }
    let len = visible_len(&visible);
    if len > MESSAGE_LIMIT {
        return Err(format!(
            "message is {len} characters long; Telegram allows {MESSAGE_LIMIT}"
        ));
    }
    Ok(visible)
}

#[cfg(test)]
mod tests {
    use super::validate;

    #[test]
    fn accepts_what_telegram_accepts() {
        assert_eq!(
            validate("<b>a</b> &lt;b&gt; <a href=\"https://x\">x</a>").unwrap(),
            "a <b> x"
        );
        assert!(validate("<blockquote>q</blockquote>").is_ok());
    }

    #[test]
    fn rejects_what_telegram_rejects() {
        for bad in [
            "a\u{c}b",
            "a\0",
            "<b>a",
            "a</b>",
            "<b><i>a</b></i>",
            "<div>a</div>",
            "a < b",
            "a & b",
            "<a>x</a>",
            "   ",
            "&nbsp;",
        ] {
            assert!(validate(bad).is_err(), "{bad}");
        }
        assert!(validate(&"x".repeat(4097)).is_err());
        assert!(validate(&"x".repeat(4096)).is_ok());
    }
}
