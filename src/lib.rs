//! The front ends that are more than a command: the Telegram adapter (and its logging), the
//! pictures (card and posters) and the website, as a library so that the integration tests can
//! run them. The commands themselves are in `main.rs` and `cmd/`.

pub mod content;
pub mod links;
pub mod logging;
pub mod print;
pub mod recorder;
pub mod site;
pub mod telegram;
