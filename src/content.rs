//! The content as every command and the running bot load it: the engine's loader, then every page
//! drawn for Telegram and checked. `huquq check`, `serve` at start and every reload go through
//! here, so content that `check` rejects is never swapped in.

use std::path::Path;

use huquq_engine::content::LoadError;
use huquq_engine::{CheckOptions, Diagnostic, Severity, Snapshot};

/// The loaded content when it has no error, and every problem found.
pub struct Checked {
    pub snap: Option<Snapshot>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Checked {
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == severity).count()
    }
}

pub fn load(content: &Path, locales: &Path, opts: CheckOptions) -> Result<Checked, LoadError> {
    let loaded = huquq_engine::load(content, locales, opts)?;
    let mut diagnostics = loaded.diagnostics;
    let mut snap = loaded.library.map(Snapshot::new);
    if let Some(s) = &snap {
        diagnostics.extend(crate::telegram::pages::check(s));
    }
    if diagnostics.iter().any(|d| d.severity == Severity::Error) {
        snap = None;
    }
    Ok(Checked { snap, diagnostics })
}
