//! Turning TOML parse and schema errors into diagnostics with positions and fixes.

use serde::de::DeserializeOwned;
use time::Date;
use toml::value::Datetime;

use crate::diag::{did_you_mean, Diagnostics, SourceFile};

/// Parses `text` (which starts at byte `base` of `file`) as `T`. On failure, reports the error at
/// its position with a fix, and returns `None`.
pub fn parse<T: DeserializeOwned>(diags: &mut Diagnostics, file: &SourceFile, base: usize, text: &str) -> Option<T> {
    match toml::from_str::<T>(text) {
        Ok(value) => Some(value),
        Err(err) => {
            let offset = base + err.span().map_or(0, |s| s.start);
            let message = err.message().trim().replace('\n', " ");
            let fix = fix_for(&message);
            diags.error(file, offset, message, fix);
            None
        }
    }
}

/// The keys serde lists after "expected one of" in an unknown-field message: the fields of the
/// very struct being read, so no list is kept by hand beside the structs.
fn expected_keys(message: &str) -> Vec<&str> {
    let Some((_, list)) = message
        .split_once("expected one of ")
        .or_else(|| message.split_once("expected "))
    else {
        return Vec::new();
    };
    list.split('`').skip(1).step_by(2).collect()
}

fn fix_for(message: &str) -> String {
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let unknown = rest.split('`').next().unwrap_or_default();
        let keys = expected_keys(rest);
        return match did_you_mean(unknown, &keys) {
            Some(k) => format!("did you mean `{k}`?"),
            None if keys.is_empty() => format!("remove `{unknown}`: this table takes no such key."),
            None => format!("remove `{unknown}`; the allowed keys are: {}.", keys.join(", ")),
        };
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let missing = rest.split('`').next().unwrap_or_default();
        return format!("add `{missing} = ...`; see CONTENT_GUIDE.md for what it holds.");
    }
    if message.contains("did not match any variant") {
        return "write the value as text in \"quotes\", or as a table of the keys CONTENT_GUIDE.md gives for it (e.g. { number = \"+7 ...\", confidence = \"medium\" }).".into();
    }
    if message.contains("date") || message.contains("datetime") {
        return "write dates as YYYY-MM-DD without quotes, e.g. `reviewed = 2026-11-20`.".into();
    }
    "check the TOML syntax at this place: strings in \"double quotes\", lists in [brackets], one `key = value` per line.".into()
}

/// A TOML date without time, as a calendar date. Reports a time, an offset or an impossible day.
pub fn to_date(
    diags: &mut Diagnostics,
    file: &SourceFile,
    offset: usize,
    field: &str,
    value: &Datetime,
) -> Option<Date> {
    let fix = format!("write a plain date, e.g. `{field} = 2026-11-20`.");
    let (Some(d), None, None) = (value.date, value.time, value.offset) else {
        diags.error(file, offset, format!("`{field}` must be a date without a time"), fix);
        return None;
    };
    let month = time::Month::try_from(d.month).ok();
    match month.and_then(|m| Date::from_calendar_date(i32::from(d.year), m, d.day).ok()) {
        Some(date) => Some(date),
        None => {
            diags.error(
                file,
                offset,
                format!("`{field}` = {value} is not a real calendar date"),
                fix,
            );
            None
        }
    }
}
