//! The front ends that are more than a command: the Telegram adapter (and its logging), as a
//! library so that the integration tests can run its handlers against a fake Bot API server.
//! The commands themselves are in `main.rs` and `cmd/`.

pub mod content;
pub mod logging;
pub mod recorder;
pub mod telegram;
