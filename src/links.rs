//! Deep links into the bot (`https://t.me/<bot>?start=<lang>_<topic>`), shared by `huquq links`,
//! the posters' QR codes and the website, so all three open the bot the same way.

/// The bot's username as given (`@HuquqBot` or `HuquqBot`), checked: Telegram usernames are
/// letters, digits and `_`.
pub fn bot_name(bot: &str) -> anyhow::Result<&str> {
    let bot = bot.trim().trim_start_matches('@');
    anyhow::ensure!(
        !bot.is_empty() && bot.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
        "`{bot}` is not a Telegram bot username (letters, digits and _ only)"
    );
    Ok(bot)
}

/// The link that opens the bot in `lang`, at `topic` when given. Deep-link payloads allow
/// [A-Za-z0-9_-] and 64 characters; language codes and topic ids are checked to fit.
pub fn deep_link(bot: &str, lang: &str, topic: Option<&str>) -> String {
    match topic {
        Some(t) => format!("https://t.me/{bot}?start={lang}_{t}"),
        None => format!("https://t.me/{bot}?start={lang}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_links() {
        assert_eq!(bot_name("@HuquqBot").unwrap(), "HuquqBot");
        assert!(bot_name("huquq bot").is_err());
        assert!(bot_name("").is_err());
        assert_eq!(
            deep_link("HuquqBot", "uz", Some("detention-48h")),
            "https://t.me/HuquqBot?start=uz_detention-48h"
        );
        assert_eq!(deep_link("HuquqBot", "ky", None), "https://t.me/HuquqBot?start=ky");
    }
}
