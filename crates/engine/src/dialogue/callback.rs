//! Button data: short, versioned, opaque strings of at most 64 bytes. Anything that does not
//! parse (an old menu, a forged button) is `None`, which the dialogue answers politely.

/// The version of the button-data format. Buttons of another version are out of date.
const VERSION: &str = "1";
pub const MAX_BYTES: usize = 64;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Show the language picker.
    Languages,
    /// Choose a language.
    Language(String),
    Menu,
    Topic(String),
    Sos,
    /// Send me the article again when it changes.
    Subscribe(String),
    Unsubscribe(String),
    /// Start the consulate finder: ask for the country.
    Consulate,
    /// The user's country, in the consulate finder.
    Country(String),
    /// The user's country and region: show the missions.
    Region {
        country: String,
        region: String,
    },
    /// A page of an article, shown in place of the page the button was on.
    Page {
        topic: String,
        page: Page,
    },
    /// The card for the officer, for a country (`None`: the country is not known).
    Card(Option<String>),
    /// The card for the officer as a picture, for a country (`None`: not known).
    CardPicture(Option<String>),
}

/// One screen of an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    /// The title and the answer, with a button for each section.
    Lead,
    /// The section with this index.
    Section(u8),
    /// The sources, the dates, related topics.
    Sources,
}

fn safe(s: &str) -> bool {
    !s.is_empty() && s.len() <= 40 && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

impl Action {
    pub fn encode(&self) -> String {
        let body = match self {
            Action::Languages => "P".to_string(),
            Action::Language(l) => format!("L:{l}"),
            Action::Menu => "M".to_string(),
            Action::Topic(t) => format!("T:{t}"),
            Action::Sos => "S".to_string(),
            Action::Subscribe(t) => format!("N:{t}"),
            Action::Unsubscribe(t) => format!("U:{t}"),
            Action::Consulate => "C".to_string(),
            Action::Country(c) => format!("K:{c}"),
            Action::Region { country, region } => format!("R:{country}:{region}"),
            Action::Page { topic, page } => match page {
                Page::Lead => format!("G:{topic}:0"),
                Page::Section(i) => format!("G:{topic}:{}", u16::from(*i) + 1),
                Page::Sources => format!("G:{topic}:s"),
            },
            Action::Card(None) => "D".to_string(),
            Action::Card(Some(c)) => format!("D:{c}"),
            Action::CardPicture(None) => "I".to_string(),
            Action::CardPicture(Some(c)) => format!("I:{c}"),
        };
        format!("{VERSION}:{body}")
    }

    pub fn decode(data: &str) -> Option<Action> {
        if data.len() > MAX_BYTES {
            return None;
        }
        let rest = data.strip_prefix(VERSION)?.strip_prefix(':')?;
        let mut it = rest.split(':');
        let action = match (it.next()?, it.next(), it.next()) {
            ("P", None, None) => Action::Languages,
            ("L", Some(l), None) if safe(l) => Action::Language(l.to_string()),
            ("M", None, None) => Action::Menu,
            ("T", Some(t), None) if safe(t) => Action::Topic(t.to_string()),
            ("S", None, None) => Action::Sos,
            ("N", Some(t), None) if safe(t) => Action::Subscribe(t.to_string()),
            ("U", Some(t), None) if safe(t) => Action::Unsubscribe(t.to_string()),
            ("C", None, None) => Action::Consulate,
            ("K", Some(c), None) if safe(c) => Action::Country(c.to_string()),
            ("R", Some(c), Some(r)) if safe(c) && safe(r) => Action::Region {
                country: c.into(),
                region: r.into(),
            },
            ("G", Some(t), Some(p)) if safe(t) => Action::Page {
                topic: t.into(),
                page: match p {
                    "0" => Page::Lead,
                    "s" => Page::Sources,
                    n => Page::Section(n.parse::<u8>().ok().filter(|n| (1..=99).contains(n))? - 1),
                },
            },
            ("D", None, None) => Action::Card(None),
            ("D", Some(c), None) if safe(c) => Action::Card(Some(c.into())),
            ("I", None, None) => Action::CardPicture(None),
            ("I", Some(c), None) if safe(c) => Action::CardPicture(Some(c.into())),
            _ => return None,
        };
        if it.next().is_some() {
            return None;
        }
        Some(action)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_fits_telegram() {
        let long = "a".repeat(40);
        for a in [
            Action::Languages,
            Action::Language("uz".into()),
            Action::Menu,
            Action::Topic("rights-when-stopped".into()),
            Action::Sos,
            Action::Subscribe("legal-aid".into()),
            Action::Unsubscribe("legal-aid".into()),
            Action::Consulate,
            Action::Country("KG".into()),
            Action::Region {
                country: "TJ".into(),
                region: long.clone(),
            },
            Action::Page {
                topic: long.clone(),
                page: Page::Section(7),
            },
            Action::Page {
                topic: "emergency".into(),
                page: Page::Lead,
            },
            Action::Page {
                topic: "expulsion".into(),
                page: Page::Sources,
            },
            Action::Card(None),
            Action::Card(Some("UZ".into())),
            Action::CardPicture(None),
            Action::CardPicture(Some("TJ".into())),
        ] {
            let data = a.encode();
            assert!(data.len() <= MAX_BYTES, "{data}");
            assert_eq!(Action::decode(&data), Some(a));
        }
    }

    #[test]
    fn rejects_old_and_forged_data() {
        for bad in [
            "",
            "M",
            "0:M",
            "2:M",
            "1:",
            "1:X",
            "1:T:",
            "1:T:../../etc",
            "1:T:a:b",
            "1:M:extra",
            "1:L:ру",
            "1:G:expulsion",
            "1:G:expulsion:x",
            "1:G:expulsion:100",
            "1:G:expulsion:-1",
            "1:D:UZ:KG",
            "1:I:UZ:KG",
            "1:I:",
            &"1:T:".repeat(30),
        ] {
            assert_eq!(Action::decode(bad), None, "{bad}");
        }
    }
}
