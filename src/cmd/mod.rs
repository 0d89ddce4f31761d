//! One module per subcommand, and what they share: loading the content.

pub mod ask;
pub mod chat;
pub mod check;
pub mod eval;
pub mod links;
pub mod notify;
pub mod print;
pub mod serve;
pub mod show;
pub mod site;
pub mod stats;

use anyhow::{bail, Context as _};
use huquq::content::Checked;
use huquq_engine::{CheckOptions, Severity, Snapshot};
use time::Date;

use crate::cli::ContentArgs;

/// Exit status when the content has errors.
pub const CONTENT_ERRORS: u8 = 1;

/// What to say when the token is missing.
pub const NO_TOKEN: &str = "\
this command needs the bot's token from @BotFather in the environment:

    export TELOXIDE_TOKEN=123456789:AA...

(TELOXIDE_API_URL may point it at a self-hosted Bot API server.)
To try the bot without Telegram, run `huquq chat`.";

/// The bot from `TELOXIDE_TOKEN` and `TELOXIDE_API_URL`, with an HTTP client that waits up to
/// `http_timeout` for an answer; `None` when there is no token.
pub fn bot_from_env(http_timeout: std::time::Duration) -> anyhow::Result<Option<teloxide::Bot>> {
    let Some(token) = std::env::var("TELOXIDE_TOKEN").ok().filter(|t| !t.trim().is_empty()) else {
        return Ok(None);
    };
    let client = teloxide::net::default_reqwest_settings()
        .timeout(http_timeout)
        .build()
        .context("could not set up the HTTP client")?;
    let mut bot = teloxide::Bot::with_client(token, client);
    if let Some(u) = std::env::var("TELOXIDE_API_URL").ok().filter(|u| !u.trim().is_empty()) {
        let url = url::Url::parse(u.trim()).with_context(|| format!("TELOXIDE_API_URL={u} is not a URL"))?;
        bot = bot.set_api_url(url);
    }
    Ok(Some(bot))
}

pub fn today(args: &ContentArgs) -> anyhow::Result<Date> {
    match &args.today {
        Some(s) => {
            let format = time::macros::format_description!("[year]-[month]-[day]");
            Date::parse(s, &format).with_context(|| format!("--today {s}: expected YYYY-MM-DD"))
        }
        None => Ok(time::OffsetDateTime::now_utc().date()),
    }
}

pub fn load(args: &ContentArgs, strict: bool) -> anyhow::Result<Checked> {
    let mut opts = CheckOptions::new(today(args)?);
    opts.strict = strict;
    huquq::content::load(&args.content, &args.locales, opts).with_context(|| {
        format!(
            "could not read the content (--content {}, --locales {}); run huquq from the project folder or pass these options",
            args.content.display(),
            args.locales.display()
        )
    })
}

/// The content, or its errors on standard error and a failure.
pub fn library(args: &ContentArgs) -> anyhow::Result<Snapshot> {
    let checked = load(args, false)?;
    let errors = checked.count(Severity::Error);
    match checked.snap {
        Some(snap) => Ok(snap),
        None => {
            for d in checked.diagnostics.iter().filter(|d| d.severity == Severity::Error) {
                eprintln!("{d}");
            }
            bail!("the content has {errors} error(s); fix them (see `huquq check`) and try again")
        }
    }
}
