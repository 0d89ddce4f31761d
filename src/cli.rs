//! The command line: `huquq <command>`. Doc comments are the help text.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Huquq: legal first aid for Central Asian labour migrants in Russia, in Uzbek, Russian, Kyrgyz
/// and Tajik. Runs as a Telegram bot (`serve`) or in the terminal (`chat`).
#[derive(Debug, Parser)]
#[command(name = "huquq", version, about, propagate_version = true)]
pub struct Cli {
    #[command(flatten)]
    pub content: ContentArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Args)]
pub struct ContentArgs {
    /// Directory with languages.toml, topics/, consulates.toml and regions.toml.
    #[arg(long, global = true, default_value = "content", value_name = "DIR")]
    pub content: PathBuf,
    /// Directory with <lang>/bot.ftl, the bot's buttons and messages.
    #[arg(long, global = true, default_value = "locales", value_name = "DIR")]
    pub locales: PathBuf,
    /// Judge review dates as of this day (YYYY-MM-DD) instead of today: for reproducible checks.
    #[arg(long, global = true, hide = true, value_name = "DATE")]
    pub today: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check the content and locales: every problem with file:line:column and the fix.
    /// Exits 0 when there is no error (warnings allowed), 1 on errors, 2 if it could not run.
    Check {
        /// Production mode: contacts that nobody verified are errors, not warnings.
        #[arg(long)]
        strict: bool,
    },
    /// Talk to the bot in the terminal: the same dialogue as in Telegram. Type a question, a
    /// /command, or the number of a button. Works with piped input.
    Chat {
        /// Start in this language instead of showing the language picker.
        #[arg(long, value_name = "LANG")]
        lang: Option<String>,
    },
    /// Show which topic the bot opens for a question.
    Ask {
        /// Answer as a user who chose this language.
        #[arg(long, value_name = "LANG")]
        lang: Option<String>,
        /// Print one JSON object: question, lang, answer (topic id or null), candidates.
        #[arg(long)]
        json: bool,
        /// Read one question per line from standard input and print one JSON object per line.
        #[arg(long, requires = "json")]
        stdin: bool,
        /// Show the normalized text and the matched terms with their weights, per topic.
        #[arg(long, conflicts_with = "stdin")]
        explain: bool,
        /// The question.
        #[arg(required_unless_present = "stdin", num_args = 1.., value_name = "QUESTION")]
        question: Vec<String>,
    },
    /// Measure how often typed questions reach the right topic, from a TSV file with the columns
    /// id, lang, expected, question (expected: a topic id, `a|b`, or `none`).
    Eval {
        /// The questions, e.g. tests/eval/dev.tsv.
        file: PathBuf,
        /// Exit with status 1 when overall accuracy (in percent) is below this.
        #[arg(long, value_name = "PERCENT")]
        min_accuracy: Option<f64>,
    },
    /// Run the bot in Telegram. The token comes from TELOXIDE_TOKEN; TELOXIDE_API_URL may point
    /// at a self-hosted Bot API server.
    Serve(ServeArgs),
    /// Usage figures for the NGO: topics opened, asked, unanswered and emergencies per language,
    /// and active chats per day. Reads the database (read-only) while the bot runs.
    Stats {
        #[command(flatten)]
        db: DbArgs,
        /// The last N days.
        #[arg(long, default_value_t = 30, value_name = "N", value_parser = clap::value_parser!(i64).range(1..=3650))]
        days: i64,
    },
    /// The most frequent questions the bot could not answer (redacted), for writing the next
    /// article.
    Gaps {
        #[command(flatten)]
        db: DbArgs,
        /// The last N days.
        #[arg(long, default_value_t = 30, value_name = "N", value_parser = clap::value_parser!(i64).range(1..=3650))]
        days: i64,
        /// How many to show.
        #[arg(long, default_value_t = 50, value_name = "N")]
        top: usize,
    },
    /// Send the current article of a topic to everyone who subscribed to it (after a lawyer updated
    /// it), in their language, within Telegram's limits. Interrupted, it resumes where it stopped;
    /// users who blocked the bot are unsubscribed. Needs TELOXIDE_TOKEN.
    Notify {
        /// The topic id, e.g. register-removal.
        topic: String,
        #[command(flatten)]
        db: DbArgs,
        /// A short text sent before the article (what changed), instead of the standard line.
        #[arg(long, value_name = "FILE")]
        message_file: Option<PathBuf>,
        /// At most this many messages a second (Telegram allows about 30).
        #[arg(long, default_value_t = 25, value_name = "N")]
        per_second: u32,
    },
    /// Print the deep link of every topic in every language (https://t.me/NAME?start=uz_topic).
    Links {
        /// The bot's username, e.g. HuquqBot.
        #[arg(long, value_name = "NAME")]
        bot: String,
    },
    /// Print an article as the user sees it, page by page (the lead, each section, the
    /// sources): how an editor previews a change.
    Show {
        /// The topic id, e.g. detention-48h.
        topic: String,
        /// The language (uz, ru, ky, tg).
        #[arg(long, default_value = "ru")]
        lang: String,
        /// Only this page (1 is the lead).
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
        page: Option<u16>,
        /// Print the Telegram HTML instead of plain text.
        #[arg(long)]
        html: bool,
    },
    /// Write the guide as a static website: a page per topic and language, the consulate
    /// directory, a link to the bot on every page. No script; works from any folder or server.
    Site {
        /// The bot's username, e.g. HuquqBot (every page links to it).
        #[arg(long, value_name = "NAME")]
        bot: String,
        /// The folder to write the site into (created if missing).
        #[arg(short, long, value_name = "DIR")]
        output: PathBuf,
    },
    /// Serve the website on this computer for editors: it is built again when a content or
    /// locale file changes, and each page shows `huquq check`'s problems about it on top.
    Preview {
        /// The bot's username, e.g. HuquqBot.
        #[arg(long, value_name = "NAME")]
        bot: String,
        /// The local address to serve on.
        #[arg(long, default_value = "127.0.0.1:8000", value_name = "ADDR")]
        listen: SocketAddr,
    },
    /// Draw the card for the officer as a picture to hold up on a phone (PNG, 1080 px wide): the
    /// Russian text with its citations, the consulate's number, one line in the person's language.
    Card {
        /// The person's country: UZ, KG or TJ (the card's wording and the consulate's number).
        #[arg(long, value_name = "CODE")]
        country: String,
        /// The language of the line for the person (uz, ru, ky, tg).
        #[arg(long, default_value = "ru")]
        lang: String,
        /// Where to write the picture (.png).
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
    },
    /// Draw an A4 poster of a topic: its title and key lines in one language, and a QR code that
    /// opens the bot at that topic (https://t.me/NAME?start=LANG_TOPIC).
    Poster {
        /// The topic id, e.g. detention-48h.
        #[arg(long, required_unless_present = "all", conflicts_with = "all")]
        topic: Option<String>,
        /// The language (uz, ru, ky, tg).
        #[arg(long, required_unless_present = "all", conflicts_with = "all")]
        lang: Option<String>,
        /// Every topic in every language, into the folder given by -o, as <topic>-<lang>.pdf
        /// (or .png with --png).
        #[arg(long)]
        all: bool,
        /// With --all: PNG pictures instead of PDF.
        #[arg(long, requires = "all")]
        png: bool,
        /// The bot's username, e.g. HuquqBot.
        #[arg(long, value_name = "NAME")]
        bot: String,
        /// The file to write (.pdf or .png), or the folder with --all.
        #[arg(short, long, value_name = "PATH")]
        output: PathBuf,
    },
}

#[derive(Debug, Clone, Args)]
pub struct DbArgs {
    /// The database of remembered languages, usage figures and the question log.
    #[arg(long, default_value = "huquq.db", value_name = "PATH")]
    pub db: PathBuf,
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub db: DbArgs,
    /// Reload content/ and locales/ when a file changes (also on SIGHUP, and on /reload from an
    /// admin chat listed in HUQUQ_ADMINS). Content with errors is not swapped in; the admins are
    /// told why.
    #[arg(long)]
    pub watch: bool,
    /// Delete unanswered questions from the log after this many days (`/privacy` says so).
    #[arg(long, default_value_t = 30, value_name = "DAYS", value_parser = clap::value_parser!(u32).range(1..=3650))]
    pub keep_questions_days: u32,
    /// Chat ids of the operators who get content errors on reload and may send /reload and
    /// /status, separated by commas.
    #[arg(long, env = "HUQUQ_ADMINS", value_name = "IDS", value_delimiter = ',', num_args = 0..)]
    pub admins: Vec<i64>,
    /// The secret Telegram sends back with every webhook request; generated when not given.
    #[arg(long, env = "HUQUQ_WEBHOOK_SECRET", value_name = "SECRET", hide_env_values = true)]
    pub webhook_secret: Option<String>,
    /// Receive updates by webhook at this public https address instead of long polling
    /// (needs --listen). The secret token comes from HUQUQ_WEBHOOK_SECRET or is generated.
    #[arg(long, value_name = "URL", requires = "listen")]
    pub webhook_url: Option<url::Url>,
    /// The local address the webhook server listens on, e.g. 0.0.0.0:8443.
    #[arg(long, value_name = "ADDR", requires = "webhook_url")]
    pub listen: Option<SocketAddr>,
    /// At most this many messages a second in all (Telegram allows about 30; a self-hosted Bot
    /// API server or paid broadcasts allow more).
    #[arg(long, default_value_t = 30, value_name = "N")]
    pub per_second: u32,
    /// At most this many messages a minute to one group chat (Telegram allows 20).
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub per_group_minute: u32,
    /// At most this many messages a second to one chat after a short burst (Telegram allows
    /// about 1).
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub per_chat_second: u32,
    /// How many messages one chat may get at once before the per-chat pace applies.
    #[arg(long, default_value_t = 3, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=30))]
    pub per_chat_burst: u32,
    /// Answer at most this many chats at once; Telegram keeps the other updates until a chat is
    /// done (so that what the bot has taken can be answered when it is told to stop).
    /// Default: half of --per-second, between 8 and 100.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub max_chats: Option<u16>,
    /// On SIGTERM or Ctrl-C, stop within this many seconds. Updates already taken are answered
    /// until then; any left are counted in the log. Docker waits 10 s before it kills.
    #[arg(long, default_value_t = 8, value_name = "SECONDS")]
    pub stop_timeout: u64,
    /// Long-polling timeout in seconds.
    #[arg(long, default_value_t = 25, value_name = "SECONDS", hide = true)]
    pub poll_timeout: u64,
}
