//! Huquq's integration tests, in one binary: the `huquq` command line on fixture content and on
//! the shipped content, and the dialogue as a user meets it, in all four languages.

mod browser;
mod check;
mod cli;
mod dialogue;
mod fake_telegram;
mod faults;
mod notify;
mod print;
mod properties;
mod serve;
mod shipped;
mod site;
mod store;
mod support;
