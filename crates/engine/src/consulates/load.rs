//! Reading `content/regions.toml` (Russia's federal districts, regions and cities, and the
//! foreign towns near its borders) and `content/consulates.toml` (the home countries, their
//! missions, hotlines and migration offices), with a problem for every mistake an editor can make.
//!
//! A contact detail is written plainly (`address = "..."`) and then has the mission's
//! `confidence`, or with its own (`address = { value = "...", confidence = "medium" }`); a phone
//! may say what line it is (`{ number = "+7 ...", kind = "hotline" }`); `hours` and
//! `district_note` may be given per language (`{ ru = "...", uz = "..." }`).

use serde::Deserialize;
use time::Date;
use toml::value::Datetime;
use toml::Spanned;

use super::places::Places;
use super::{
    Abroad, City, Confidence, Consulates, Contact, CountryInfo, District, Localized, Mission, MissionKind, Phone,
    PhoneKind, Region,
};
use crate::content::{toml_util, CheckOptions, Sources};
use crate::diag::{Diagnostics, Severity, SourceFile};
use crate::doc;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MissionsFile {
    #[serde(default, rename = "country")]
    countries: Vec<Spanned<CountryEntry>>,
    #[serde(default, rename = "mission")]
    missions: Vec<Spanned<MissionEntry>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CountryEntry {
    code: String,
    flag: String,
    name: Localized,
    #[serde(default)]
    aliases: Vec<String>,
}

/// A contact detail: plain, or with its own confidence.
#[derive(Deserialize)]
#[serde(untagged)]
enum ContactEntry {
    Plain(String),
    Rated { value: String, confidence: Confidence },
}

/// A phone number: plain, or with its confidence and what line it is.
#[derive(Deserialize)]
#[serde(untagged)]
enum PhoneEntry {
    Plain(String),
    Rated {
        number: String,
        confidence: Option<Confidence>,
        kind: Option<PhoneKind>,
    },
}

impl PhoneEntry {
    fn number(&self) -> &str {
        match self {
            PhoneEntry::Plain(n) | PhoneEntry::Rated { number: n, .. } => n,
        }
    }
}

/// A text in every language alike, or per language.
#[derive(Deserialize)]
#[serde(untagged)]
enum TextEntry {
    Same(String),
    PerLanguage(Localized),
}

impl TextEntry {
    fn localized(self) -> Localized {
        match self {
            TextEntry::Same(s) => Localized::from([("ru".to_string(), s)]),
            TextEntry::PerLanguage(m) => m,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MissionEntry {
    id: Spanned<String>,
    country: Spanned<String>,
    kind: MissionKind,
    city: Option<String>,
    name: Localized,
    address: Option<ContactEntry>,
    #[serde(default)]
    phones: Vec<Spanned<PhoneEntry>>,
    email: Option<ContactEntry>,
    website: Option<Spanned<ContactEntry>>,
    telegram: Option<ContactEntry>,
    hours: Option<TextEntry>,
    #[serde(default)]
    regions: Vec<Spanned<String>>,
    #[serde(default)]
    districts: Vec<Spanned<String>>,
    district_note: Option<TextEntry>,
    #[serde(default)]
    sources: Vec<String>,
    confidence: Confidence,
    verified: Option<Spanned<Datetime>>,
    /// For editors: variants left out and why. Never shown.
    #[serde(default, rename = "note")]
    _note: Option<String>,
    #[serde(default)]
    warning: Localized,
    lat: Option<f64>,
    lon: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RegionsFile {
    #[serde(default, rename = "district")]
    districts: Vec<Spanned<DistrictEntry>>,
    #[serde(default, rename = "region")]
    regions: Vec<Spanned<RegionEntry>>,
    #[serde(default)]
    abroad: Vec<AbroadEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DistrictEntry {
    id: String,
    name: Localized,
    #[serde(default)]
    aliases: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RegionEntry {
    id: String,
    district: Spanned<String>,
    name: Localized,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default, rename = "city")]
    cities: Vec<CityEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CityEntry {
    name: Localized,
    #[serde(default)]
    aliases: Vec<String>,
    lat: Option<f64>,
    lon: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AbroadEntry {
    name: String,
    lat: f64,
    lon: f64,
}

fn valid_phone(p: &str) -> bool {
    let digits = p.chars().filter(char::is_ascii_digit).count();
    let allowed = p.chars().all(|c| c.is_ascii_digit() || matches!(c, '+' | ' ' | '-'));
    let international = p.starts_with('+') && (10..=15).contains(&digits);
    let short = !p.contains('+') && (3..=5).contains(&digits) && p.chars().all(|c| c.is_ascii_digit());
    allowed && (international || short)
}

/// Both files; the place names are folded once here for the finder.
pub fn load(sources: &Sources, opts: CheckOptions, diags: &mut Diagnostics) -> Consulates {
    let mut out = Consulates::default();
    if let Some(file) = sources.get(&sources.content_dir.join("regions.toml")) {
        load_regions(file, &mut out, diags);
    }
    if let Some(file) = sources.get(&sources.content_dir.join("consulates.toml")) {
        load_missions(file, opts, &mut out, diags);
    }
    out.places = Places::build(&out.countries, &out.regions);
    out
}

fn load_regions(file: &SourceFile, out: &mut Consulates, diags: &mut Diagnostics) {
    let Some(parsed) = toml_util::parse::<RegionsFile>(diags, file, 0, &file.text) else {
        return;
    };
    for d in parsed.districts {
        let at = d.span().start;
        let d = d.into_inner();
        if out.districts.iter().any(|x| x.id == d.id) {
            diags.error(file, at, format!("district `{}` is listed twice", d.id), "remove one.");
        }
        out.districts.push(District {
            id: d.id,
            name: d.name,
            aliases: d.aliases,
        });
    }
    for r in parsed.regions {
        let at = r.span().start;
        let r = r.into_inner();
        if out.regions.iter().any(|x| x.id == r.id) {
            diags.error(file, at, format!("region `{}` is listed twice", r.id), "remove one.");
        }
        if !out.districts.iter().any(|d| d.id == *r.district.get_ref()) {
            diags.error(
                file,
                r.district.span().start,
                format!(
                    "region `{}` is in unknown federal district `{}`",
                    r.id,
                    r.district.get_ref()
                ),
                "use the id of a [[district]] in this file.",
            );
        }
        if !r.name.contains_key("ru") {
            diags.error(
                file,
                at,
                format!("region `{}` has no Russian name", r.id),
                "add `ru = \"...\"` to its name.",
            );
        }
        let cities = r
            .cities
            .into_iter()
            .map(|c| City {
                name: c.name,
                aliases: c.aliases,
                lat: c.lat,
                lon: c.lon,
            })
            .collect();
        out.regions.push(Region {
            id: r.id,
            district: r.district.into_inner(),
            name: r.name,
            aliases: r.aliases,
            cities,
        });
    }
    out.abroad = parsed
        .abroad
        .into_iter()
        .map(|a| Abroad {
            name: a.name,
            lat: a.lat,
            lon: a.lon,
        })
        .collect();
}

fn contact(entry: Option<ContactEntry>, default: Confidence) -> Option<Contact> {
    let (value, confidence) = match entry? {
        ContactEntry::Plain(v) => (v, default),
        ContactEntry::Rated { value, confidence } => (value, confidence),
    };
    let value = value.trim().to_string();
    (!value.is_empty()).then_some(Contact { value, confidence })
}

fn load_missions(file: &SourceFile, opts: CheckOptions, out: &mut Consulates, diags: &mut Diagnostics) {
    let Some(parsed) = toml_util::parse::<MissionsFile>(diags, file, 0, &file.text) else {
        return;
    };
    for c in parsed.countries {
        let at = c.span().start;
        let c = c.into_inner();
        if !c.name.contains_key("ru") {
            diags.error(
                file,
                at,
                format!("country `{}` has no Russian name", c.code),
                "add `ru = \"...\"` to `name`.",
            );
        }
        out.countries.push(CountryInfo {
            code: c.code,
            flag: c.flag,
            name: c.name,
            aliases: c.aliases,
        });
    }
    for m in parsed.missions {
        let at = m.span().start;
        let m = m.into_inner();
        check_mission(file, at, &m, opts, out, diags);
        let verified = m
            .verified
            .as_ref()
            .and_then(|v| toml_util::to_date(diags, file, v.span().start, "verified", v.get_ref()));
        out.missions.push(mission(m, verified));
    }
}

fn mission(m: MissionEntry, verified: Option<Date>) -> Mission {
    let default = m.confidence;
    Mission {
        id: m.id.into_inner(),
        country: m.country.into_inner(),
        kind: m.kind,
        city: m.city,
        name: m.name,
        address: contact(m.address, default),
        phones: m
            .phones
            .into_iter()
            .map(|p| match p.into_inner() {
                PhoneEntry::Plain(number) => Phone {
                    number,
                    confidence: default,
                    kind: None,
                },
                PhoneEntry::Rated {
                    number,
                    confidence,
                    kind,
                } => Phone {
                    number,
                    confidence: confidence.unwrap_or(default),
                    kind,
                },
            })
            .collect(),
        email: contact(m.email, default),
        website: contact(m.website.map(Spanned::into_inner), default),
        telegram: contact(m.telegram, default),
        hours: m.hours.map(TextEntry::localized),
        regions: m.regions.into_iter().map(Spanned::into_inner).collect(),
        districts: m.districts.into_iter().map(Spanned::into_inner).collect(),
        district_note: m.district_note.map(TextEntry::localized),
        sources: m.sources,
        confidence: default,
        verified,
        warning: m.warning,
        lat: m.lat,
        lon: m.lon,
    }
}

/// Every problem of one mission: an id used twice, a country not in the file, no source, no
/// Russian name, a city the finder cannot offer, a phone not in international form, a site that
/// is not a web address, an unknown region or district, and the verification.
fn check_mission(
    file: &SourceFile,
    at: usize,
    m: &MissionEntry,
    opts: CheckOptions,
    out: &Consulates,
    diags: &mut Diagnostics,
) {
    let id = m.id.get_ref();
    if out.missions.iter().any(|x| &x.id == id) {
        diags.error(
            file,
            m.id.span().start,
            format!("mission `{id}` is listed twice"),
            "give each mission its own id.",
        );
    }
    if out.country(m.country.get_ref()).is_none() {
        let known: Vec<&str> = out.countries.iter().map(|c| c.code.as_str()).collect();
        diags.error(
            file,
            m.country.span().start,
            format!("unknown country `{}`", m.country.get_ref()),
            format!("use one of the [[country]] codes of this file: {}.", known.join(", ")),
        );
    }
    if m.sources.iter().all(|s| s.trim().is_empty()) {
        diags.error(
            file,
            at,
            format!("mission `{id}` has no source"),
            "add `sources = [\"https://...\"]`: the page where each contact was found.",
        );
    }
    if !m.name.contains_key("ru") {
        diags.error(
            file,
            at,
            format!("mission `{id}` has no Russian name"),
            "add `ru = \"...\"` to `name`.",
        );
    }
    let in_a_city = m.kind.is_consular() || m.kind == MissionKind::Embassy;
    if let Some(city) = m.city.as_deref().filter(|_| in_a_city && !out.regions.is_empty()) {
        if !out.regions.iter().any(|r| r.has_city(city)) {
            diags.warning(
                file,
                at,
                format!("mission `{id}`: city `{city}` is not a city in regions.toml, so the finder cannot offer it"),
                "write the city exactly as its Russian name in regions.toml, or add the city there.",
            );
        }
    }
    for p in &m.phones {
        let number = p.get_ref().number();
        if !valid_phone(number) {
            diags.error(
                file,
                p.span().start,
                format!("`{number}` is not a phone number in international form"),
                "write it as +7 495 000-00-00 (country code, then digits, spaces and dashes); never add or guess digits.",
            );
        }
    }
    if let Some(w) = &m.website {
        let (ContactEntry::Plain(url) | ContactEntry::Rated { value: url, .. }) = w.get_ref();
        if !doc::is_web_link(url) {
            diags.error(
                file,
                w.span().start,
                format!("site `{url}` is not an http(s) address"),
                "write it with https://.",
            );
        }
    }
    for r in m.regions.iter().filter(|r| out.region(r.get_ref()).is_none()) {
        diags.error(
            file,
            r.span().start,
            format!("unknown region `{}`", r.get_ref()),
            "use a region id from regions.toml.",
        );
    }
    for d in m
        .districts
        .iter()
        .filter(|d| !out.districts.iter().any(|x| x.id == *d.get_ref()))
    {
        diags.error(
            file,
            d.span().start,
            format!("unknown federal district `{}`", d.get_ref()),
            "use a district id from regions.toml.",
        );
    }
    check_verified(file, at, id, m.verified.as_ref(), opts, diags);
}

fn check_verified(
    file: &SourceFile,
    at: usize,
    id: &str,
    verified: Option<&Spanned<Datetime>>,
    opts: CheckOptions,
    diags: &mut Diagnostics,
) {
    match verified {
        Some(v) => {
            let date = v.get_ref().date;
            let future = date.is_some_and(|d| {
                let month = time::Month::try_from(d.month).ok();
                month
                    .and_then(|m| Date::from_calendar_date(i32::from(d.year), m, d.day).ok())
                    .is_some_and(|d| d > opts.today)
            });
            if future {
                diags.error(
                    file,
                    v.span().start,
                    format!("mission `{id}`: `verified` is in the future"),
                    "use the day the check was done.",
                );
            }
        }
        None => diags.push(
            file,
            at,
            if opts.strict {
                Severity::Error
            } else {
                Severity::Warning
            },
            format!("mission `{id}` is not verified: the bot shows it with a \"not verified\" warning"),
            Some("check it on the official site or by calling, then add `verified = YYYY-MM-DD`.".to_string()),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_must_be_international_or_short() {
        assert!(valid_phone("+7 843 526-55-64"));
        assert!(valid_phone("1282"));
        assert!(!valid_phone("526-55-64"));
        assert!(!valid_phone("+7 (843) 526"));
        assert!(!valid_phone("8 800 555 35 35"));
    }
}
