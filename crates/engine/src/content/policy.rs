//! `content/policy.toml`: which sites the content may link to. A link to a blocked site (the media
//! of an organisation Russia lists as undesirable or as a foreign agent: forwarding it can be an
//! offence for the reader) is an error anywhere in the content and the bot's strings; a law cited
//! with a link that is not an official publication or a legal database, and a source link to a
//! site that is neither official nor an established news agency, are warnings.

use serde::Deserialize;

use super::{toml_util, Sources};
use crate::diag::{Diagnostics, Severity, SourceFile};

/// What kind of site an official domain is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SiteKind {
    /// The official publication of laws, or a legal database.
    Law,
    /// A government body, or an international organisation.
    Government,
    /// An established news agency.
    News,
}

#[derive(Debug, Clone, Default)]
pub struct Policy {
    blocked: Vec<(String, String)>,
    official: Vec<(String, SiteKind)>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PolicyFile {
    #[serde(default)]
    blocked: Vec<BlockedEntry>,
    #[serde(default)]
    official: Vec<OfficialEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BlockedEntry {
    domains: Vec<String>,
    reason: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OfficialEntry {
    kind: SiteKind,
    domains: Vec<String>,
}

/// The host of a web address, lowercased, without `www.` and the port.
pub fn host(url: &str) -> Option<String> {
    let rest = url.trim().split_once("://")?.1;
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit('@').next()?.split(':').next()?.to_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
    (!host.is_empty()).then_some(host)
}

fn under(host: &str, domain: &str) -> bool {
    host == domain || host.strip_suffix(domain).is_some_and(|h| h.ends_with('.'))
}

/// Whether a source's label names a legal act (so its link must be the law itself).
pub fn cites_a_law(label: &str) -> bool {
    let l = label.to_lowercase();
    [
        "ст.",
        "статья",
        "стать",
        "коап",
        "-фз",
        " фз",
        "закон",
        "конституц",
        "кодекс",
        "кас рф",
        "упк",
        "ук рф",
        "указ",
        "постановлени",
        "приказ",
        "договор",
        "конвенц",
        "соглашени",
        "распоряжени",
    ]
    .iter()
    .any(|w| l.contains(w))
}

impl Policy {
    /// The reason a host is blocked, if it is.
    pub fn blocked(&self, host: &str) -> Option<&str> {
        self.blocked
            .iter()
            .find(|(d, _)| under(host, d))
            .map(|(_, why)| why.as_str())
    }

    /// What kind of official site a host is, if it is one.
    pub fn kind(&self, host: &str) -> Option<SiteKind> {
        self.official.iter().find(|(d, _)| under(host, d)).map(|(_, k)| *k)
    }

    /// Warnings for one source entry at `offset` of `file`: a law cited to a site that is not
    /// the law, or a link to a site that is neither official nor a news agency.
    pub fn check_source(&self, file: &SourceFile, offset: usize, label: &str, url: &str, diags: &mut Diagnostics) {
        if self.official.is_empty() {
            return;
        }
        let Some(h) = host(url) else { return };
        if self.blocked(&h).is_some() {
            // Reported by the scan of every file.
            return;
        }
        match self.kind(&h) {
            Some(SiteKind::Law) => {}
            _ if cites_a_law(label) => diags.warning(
                file,
                offset,
                format!("the law «{label}» is cited with a link to {h}, which is not an official publication or a legal database"),
                "link the act on pravo.gov.ru, consultant.ru or garant.ru, or give its name, number, date and article without a link.",
            ),
            Some(_) => {}
            None => diags.warning(
                file,
                offset,
                format!("{h} is not an official body, a legal database or an established news agency"),
                "cite the official source, or an established news agency quoting it; if the site is one, add it to content/policy.toml.",
            ),
        }
    }

    /// Errors for every mention of a blocked domain in any content or locale file.
    fn scan(&self, sources: &Sources, diags: &mut Diagnostics) {
        let own = sources.content_dir.join("policy.toml");
        for file in sources.files.values().filter(|f| f.path != own) {
            let lower = file.text.to_lowercase();
            // Lowercasing can change byte lengths (rarely); positions are then approximate.
            for (domain, why) in &self.blocked {
                let mut from = 0;
                while let Some(i) = lower[from..].find(domain.as_str()).map(|i| i + from) {
                    from = i + domain.len();
                    let before = lower[..i].chars().next_back();
                    let after = lower[from..].chars().next();
                    let starts = before.is_none_or(|c| !c.is_alphanumeric() && c != '-' || c == '.');
                    let ends = after.is_none_or(|c| !(c.is_alphanumeric() || c == '-'));
                    if starts && ends {
                        diags.error(
                            file,
                            i.min(file.text.len()),
                            format!("a link to {domain}: {why}. Spreading such material can be an offence for whoever forwards the bot's message"),
                            "remove it; cite the law itself or an official body instead.",
                        );
                    }
                }
            }
        }
    }
}

/// Loads `policy.toml` (a warning when there is none: links are then not checked) and reports
/// every mention of a blocked domain anywhere.
pub fn load(sources: &Sources, diags: &mut Diagnostics) -> Policy {
    let path = sources.content_dir.join("policy.toml");
    let Some(file) = sources.get(&path) else {
        diags.at_path(
            &path,
            Severity::Warning,
            "there is no policy.toml: links to blocked sites are not checked",
            "create content/policy.toml with the [[blocked]] and [[official]] sites (see CONTENT_GUIDE.md).",
        );
        return Policy::default();
    };
    let Some(parsed) = toml_util::parse::<PolicyFile>(diags, file, 0, &file.text) else {
        return Policy::default();
    };
    let norm = |d: &str| d.trim().trim_start_matches("www.").to_lowercase();
    let policy = Policy {
        blocked: parsed
            .blocked
            .iter()
            .flat_map(|b| b.domains.iter().map(|d| (norm(d), b.reason.trim().to_string())))
            .filter(|(d, _)| !d.is_empty())
            .collect(),
        official: parsed
            .official
            .iter()
            .flat_map(|o| o.domains.iter().map(|d| (norm(d), o.kind)))
            .filter(|(d, _)| !d.is_empty())
            .collect(),
    };
    policy.scan(sources, diags);
    policy
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_and_subdomains() {
        assert_eq!(
            host("https://www.Consultant.ru/document/x").as_deref(),
            Some("consultant.ru")
        );
        assert_eq!(host("https://мвд.рф/rkl").as_deref(), Some("мвд.рф"));
        assert_eq!(
            host("http://user@plugin-frontend.meduza.io:443/x").as_deref(),
            Some("plugin-frontend.meduza.io")
        );
        assert!(under("plugin-frontend.meduza.io", "meduza.io"));
        assert!(under("meduza.io", "meduza.io"));
        assert!(!under("notmeduza.io", "meduza.io"));
    }

    #[test]
    fn laws_are_told_from_other_sources() {
        assert!(cites_a_law("ч. 4 ст. 27.5 КоАП РФ"));
        assert!(cites_a_law("Федеральный закон от 25.07.2002 № 115-ФЗ"));
        assert!(cites_a_law("Венская конвенция о консульских сношениях"));
        assert!(!cites_a_law("МВД России: сколько человек в реестре"));
    }
}
