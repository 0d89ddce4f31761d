//! Huquq's engine: the content store, the question matcher and the dialogue, with no Telegram,
//! no command line and no async runtime, so that every front end runs the same code and tests
//! need no network.

pub mod consulates;
pub mod content;
pub mod diag;
pub mod dialogue;
pub mod doc;
pub mod i18n;
pub mod search;
pub mod store;

pub use content::{load, CheckOptions, Library, Loaded, Snapshot};
pub use diag::{Diagnostic, Severity};
pub use dialogue::{step, Context, Input, Outcome, Reply, UserState};
pub use search::Index;
