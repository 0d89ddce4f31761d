//! Logs for operators: to standard error, level from `RUST_LOG` (default `info`). They never hold
//! message text or raw chat ids (chats appear as keyed hashes, see `telegram::App::chat_tag`).

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

pub fn init() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .try_init();
}
