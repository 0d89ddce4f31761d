//! Content problems as data: every loader step pushes `Diagnostic`s instead of failing, so that
//! `huquq check` can report all of them in one run and the server can refuse a bad reload.

use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// One problem in one file, at a line and column (both 1-based; the column counts characters,
/// not bytes, so that it matches what an editor shows for Cyrillic text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub path: PathBuf,
    pub line: usize,
    pub col: usize,
    pub severity: Severity,
    pub message: String,
    /// How to fix it, in one sentence.
    pub fix: Option<String>,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}: {}",
            self.path.display(),
            self.line,
            self.col,
            self.severity,
            self.message
        )?;
        if let Some(fix) = &self.fix {
            write!(f, " Fix: {fix}")?;
        }
        Ok(())
    }
}

/// Line and column (1-based, column in characters) of a byte offset in `text`.
/// An offset past the end or inside a character is clamped to a valid position.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

/// Collects diagnostics for one file at a time; positions are byte offsets into that file's text.
#[derive(Debug, Default)]
pub struct Diagnostics {
    pub items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(
        &mut self,
        file: &SourceFile,
        offset: usize,
        severity: Severity,
        message: impl Into<String>,
        fix: impl Into<Option<String>>,
    ) {
        let (line, col) = line_col(&file.text, offset);
        self.items.push(Diagnostic {
            path: file.path.clone(),
            line,
            col,
            severity,
            message: message.into(),
            fix: fix.into(),
        });
    }

    pub fn error(&mut self, file: &SourceFile, offset: usize, message: impl Into<String>, fix: impl Into<String>) {
        self.push(file, offset, Severity::Error, message, Some(fix.into()));
    }

    pub fn warning(&mut self, file: &SourceFile, offset: usize, message: impl Into<String>, fix: impl Into<String>) {
        self.push(file, offset, Severity::Warning, message, Some(fix.into()));
    }

    /// A problem that concerns a whole file or directory rather than a place in it.
    pub fn at_path(&mut self, path: &Path, severity: Severity, message: impl Into<String>, fix: impl Into<String>) {
        self.items.push(Diagnostic {
            path: path.to_path_buf(),
            line: 1,
            col: 1,
            severity,
            message: message.into(),
            fix: Some(fix.into()),
        });
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.items.iter().filter(|d| d.severity == severity).count()
    }
}

/// A file's text with the path it is reported under. A UTF-8 byte-order mark is stripped.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
}

impl SourceFile {
    pub fn new(path: impl Into<PathBuf>, text: impl Into<String>) -> Self {
        let mut text = text.into();
        if text.starts_with('\u{feff}') {
            text.drain(..'\u{feff}'.len_utf8());
        }
        SourceFile {
            path: path.into(),
            text,
        }
    }
}

/// Suggests the closest known name for a misspelled one ("titel" -> "title").
pub fn did_you_mean<'a>(unknown: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (strsim::damerau_levenshtein(unknown, k), *k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "a = 1\nзаголовок = 2\n";
        let offset = text.find('2').unwrap();
        assert_eq!(line_col(text, offset), (2, 13));
    }

    #[test]
    fn offsets_inside_a_character_are_clamped() {
        let text = "жж";
        assert_eq!(line_col(text, 1), (1, 1));
        assert_eq!(line_col(text, 99), (1, 3));
    }

    #[test]
    fn suggests_close_keys_only() {
        let keys = ["title", "summary", "keywords"];
        assert_eq!(did_you_mean("titel", &keys), Some("title"));
        assert_eq!(did_you_mean("keyword", &keys), Some("keywords"));
        assert_eq!(did_you_mean("zzzzzz", &keys), None);
    }
}
