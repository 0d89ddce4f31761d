//! `content/consulates.toml` (missions and hotlines) and `content/regions.toml` (Russia's federal
//! districts and regions with their names and cities), for the consulate finder.

use std::collections::BTreeMap;

use serde::Deserialize;
use time::Date;
use toml::value::Datetime;
use toml::Spanned;

use super::toml_util;
use super::{CheckOptions, Sources};
use crate::diag::{Diagnostics, Severity};
use crate::doc;

/// The countries whose missions the data may hold (ISO 3166 alpha-2).
pub const COUNTRIES: &[&str] = &["UZ", "KG", "TJ", "KZ", "TM"];
pub type Country = String;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MissionKind {
    Embassy,
    ConsularSection,
    ConsulateGeneral,
    Consulate,
    Chancery,
    AgencyOffice,
    Hotline,
}

impl MissionKind {
    /// Missions that do consular work for a district (an embassy's chancery in a region too).
    pub fn is_consular(self) -> bool {
        matches!(
            self,
            MissionKind::ConsularSection
                | MissionKind::ConsulateGeneral
                | MissionKind::Consulate
                | MissionKind::Chancery
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    Low,
    Medium,
    High,
}

#[derive(Debug, Clone)]
pub struct Mission {
    pub id: String,
    pub country: Country,
    pub kind: MissionKind,
    /// The city in Russian, as the source names it; absent for people who cover a whole district.
    pub city: Option<String>,
    /// By language code.
    pub name: BTreeMap<String, String>,
    pub address: Option<String>,
    pub phones: Vec<String>,
    pub email: Option<String>,
    pub website: Option<String>,
    pub telegram: Option<String>,
    pub hours: Option<String>,
    pub regions: Vec<String>,
    pub districts: Vec<String>,
    pub district_note: Option<String>,
    pub sources: Vec<String>,
    pub confidence: Confidence,
    /// The day a person checked the contacts against the official site or by calling.
    pub verified: Option<Date>,
    pub warning: BTreeMap<String, String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
}

#[derive(Debug, Clone)]
pub struct District {
    pub id: String,
    pub name: BTreeMap<String, String>,
    pub aliases: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Region {
    pub id: String,
    pub district: String,
    pub name: BTreeMap<String, String>,
    pub aliases: Vec<String>,
    pub cities: Vec<City>,
}

impl Region {
    /// Whether `city` (a Russian name) is this region's own name or one of its cities.
    pub fn has_city(&self, city: &str) -> bool {
        self.name.get("ru").is_some_and(|n| n == city)
            || self.cities.iter().any(|c| c.name.get("ru").is_some_and(|n| n == city))
    }
}

#[derive(Debug, Clone)]
pub struct City {
    pub name: BTreeMap<String, String>,
    pub aliases: Vec<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
}

/// A home country, as the finder names it and as people type it.
#[derive(Debug, Clone)]
pub struct CountryInfo {
    pub code: Country,
    pub flag: String,
    pub name: BTreeMap<String, String>,
    pub aliases: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Consulates {
    pub countries: Vec<CountryInfo>,
    pub missions: Vec<Mission>,
    pub districts: Vec<District>,
    pub regions: Vec<Region>,
}

impl Consulates {
    pub fn region(&self, id: &str) -> Option<&Region> {
        self.regions.iter().find(|r| r.id == id)
    }

    /// The consular missions of `country` that serve `region`: those whose published district
    /// lists it, then those whose federal district includes it, and failing both, a mission that
    /// sits in the region but whose district nobody published.
    pub fn serving(&self, country: &str, region: &Region) -> Vec<&Mission> {
        let consular = || {
            self.missions
                .iter()
                .filter(|m| m.country == country && m.kind.is_consular())
        };
        let mut out: Vec<&Mission> = consular().filter(|m| m.regions.contains(&region.id)).collect();
        out.extend(consular().filter(|m| m.districts.contains(&region.district)));
        if out.is_empty() {
            out.extend(consular().filter(|m| {
                m.regions.is_empty() && m.districts.is_empty() && m.city.as_deref().is_some_and(|c| region.has_city(c))
            }));
        }
        out
    }

    pub fn embassies(&self, country: &str) -> Vec<&Mission> {
        self.missions
            .iter()
            .filter(|m| m.country == country && m.kind == MissionKind::Embassy)
            .collect()
    }

    /// The home country's hotlines, and the offices of its migration bodies that serve `region`
    /// (by their district, or because they sit in it); failing those, the ones in Moscow, which
    /// act for the whole country.
    pub fn hotlines(&self, country: &str, region: &Region) -> Vec<&Mission> {
        let of_country = || self.missions.iter().filter(move |m| m.country == country);
        let serves = |m: &Mission| {
            m.regions.contains(&region.id)
                || m.districts.contains(&region.district)
                || m.city.as_deref().is_some_and(|c| region.has_city(c))
        };
        let mut offices: Vec<&Mission> = of_country()
            .filter(|m| m.kind == MissionKind::AgencyOffice && serves(m))
            .collect();
        if offices.is_empty() {
            offices = of_country()
                .filter(|m| m.kind == MissionKind::AgencyOffice && m.city.as_deref() == Some("Москва"))
                .collect();
        }
        offices.extend(of_country().filter(|m| m.kind == MissionKind::Hotline));
        offices
    }

    /// The number a detained person's card gives for `country`: its embassy's consular section,
    /// else its embassy, else a hotline, each only if it has a number that can be called from
    /// Russia (short numbers work only at home). Returns the mission and those numbers.
    pub fn card_contact(&self, country: &str) -> Option<(&Mission, Vec<&str>)> {
        fn callable(m: &Mission) -> Vec<&str> {
            m.phones
                .iter()
                .map(String::as_str)
                .filter(|p| p.trim_start().starts_with('+'))
                .collect()
        }
        [MissionKind::ConsularSection, MissionKind::Embassy, MissionKind::Hotline]
            .into_iter()
            .flat_map(|kind| {
                self.missions
                    .iter()
                    .filter(move |m| m.country == country && m.kind == kind)
            })
            .map(|m| (m, callable(m)))
            .find(|(_, phones)| !phones.is_empty())
    }

    /// Cities with a consular mission of `country`, as (region id, mission) pairs in data order.
    pub fn mission_cities(&self, country: &str) -> Vec<&Mission> {
        let mut seen: Vec<&str> = Vec::new();
        let mut out = Vec::new();
        for m in self.missions.iter().filter(|m| m.country == country) {
            let Some(city) = m.city.as_deref() else {
                continue;
            };
            if (m.kind.is_consular() || m.kind == MissionKind::Embassy) && !seen.contains(&city) {
                seen.push(city);
                out.push(m);
            }
        }
        out
    }

    /// The region whose city is nearest to a point, with the distance in km.
    pub fn nearest_region(&self, lat: f64, lon: f64) -> Option<(&Region, f64)> {
        self.regions
            .iter()
            .flat_map(|r| r.cities.iter().map(move |c| (r, c)))
            .filter_map(|(r, c)| Some((r, distance_km(lat, lon, c.lat?, c.lon?))))
            .min_by(|a, b| a.1.total_cmp(&b.1))
    }
}

/// Great-circle distance.
pub fn distance_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    6371.0 * 2.0 * a.sqrt().asin()
}

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
    name: BTreeMap<String, String>,
    #[serde(default)]
    aliases: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MissionEntry {
    id: Spanned<String>,
    country: Spanned<String>,
    kind: MissionKind,
    city: Option<String>,
    name: BTreeMap<String, String>,
    address: Option<String>,
    #[serde(default)]
    phones: Vec<Spanned<String>>,
    email: Option<String>,
    website: Option<Spanned<String>>,
    telegram: Option<String>,
    hours: Option<String>,
    #[serde(default)]
    regions: Vec<Spanned<String>>,
    #[serde(default)]
    districts: Vec<Spanned<String>>,
    district_note: Option<String>,
    #[serde(default)]
    sources: Vec<String>,
    confidence: Confidence,
    verified: Option<Spanned<Datetime>>,
    #[allow(dead_code)]
    note: Option<String>,
    #[serde(default)]
    warning: BTreeMap<String, String>,
    lat: Option<f64>,
    lon: Option<f64>,
}
const MISSION_KEYS: &[&str] = &[
    "country",
    "code",
    "flag",
    "aliases",
    "mission",
    "id",
    "country",
    "kind",
    "city",
    "name",
    "address",
    "phones",
    "email",
    "website",
    "telegram",
    "hours",
    "regions",
    "districts",
    "district_note",
    "sources",
    "confidence",
    "verified",
    "note",
    "warning",
    "lat",
    "lon",
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RegionsFile {
    #[serde(default, rename = "district")]
    districts: Vec<Spanned<DistrictEntry>>,
    #[serde(default, rename = "region")]
    regions: Vec<Spanned<RegionEntry>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DistrictEntry {
    id: String,
    name: BTreeMap<String, String>,
    #[serde(default)]
    aliases: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RegionEntry {
    id: String,
    district: Spanned<String>,
    name: BTreeMap<String, String>,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default, rename = "city")]
    cities: Vec<CityEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CityEntry {
    name: BTreeMap<String, String>,
    #[serde(default)]
    aliases: Vec<String>,
    lat: Option<f64>,
    lon: Option<f64>,
}
const REGION_KEYS: &[&str] = &["district", "region", "city", "id", "name", "aliases", "lat", "lon"];

fn valid_phone(p: &str) -> bool {
    let digits = p.chars().filter(char::is_ascii_digit).count();
    let allowed = p.chars().all(|c| c.is_ascii_digit() || matches!(c, '+' | ' ' | '-'));
    let international = p.starts_with('+') && (10..=15).contains(&digits);
    let short = !p.contains('+') && (3..=5).contains(&digits) && p.chars().all(|c| c.is_ascii_digit());
    allowed && (international || short)
}

pub fn load(sources: &Sources, langs: &[&str], opts: CheckOptions, diags: &mut Diagnostics) -> Consulates {
    let mut out = Consulates::default();
    let regions_path = sources.content_dir.join("regions.toml");
    if let Some(file) = sources.get(&regions_path) {
        if let Some(parsed) = toml_util::parse::<RegionsFile>(diags, file, 0, &file.text, REGION_KEYS) {
            for d in parsed.districts {
                let span = d.span();
                let d = d.into_inner();
                if out.districts.iter().any(|x| x.id == d.id) {
                    diags.error(
                        file,
                        span.start,
                        format!("district `{}` is listed twice", d.id),
                        "remove one.",
                    );
                }
                out.districts.push(District {
                    id: d.id,
                    name: d.name,
                    aliases: d.aliases,
                });
            }
            for r in parsed.regions {
                let span = r.span();
                let r = r.into_inner();
                if out.regions.iter().any(|x| x.id == r.id) {
                    diags.error(
                        file,
                        span.start,
                        format!("region `{}` is listed twice", r.id),
                        "remove one.",
                    );
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
                if !r.name.contains_key(langs.first().copied().unwrap_or("ru")) && !r.name.contains_key("ru") {
                    diags.error(
                        file,
                        span.start,
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
        }
    }

    let path = sources.content_dir.join("consulates.toml");
    let Some(file) = sources.get(&path) else {
        return out;
    };
    let Some(parsed) = toml_util::parse::<MissionsFile>(diags, file, 0, &file.text, MISSION_KEYS) else {
        return out;
    };
    for c in parsed.countries {
        let span = c.span();
        let c = c.into_inner();
        if !COUNTRIES.contains(&c.code.as_str()) {
            diags.error(
                file,
                span.start,
                format!("unknown country `{}`", c.code),
                format!("use one of {}.", COUNTRIES.join(", ")),
            );
        }
        if !c.name.contains_key("ru") {
            diags.error(
                file,
                span.start,
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
        let start = m.span().start;
        let m = m.into_inner();
        let id = m.id.get_ref().clone();
        if out.missions.iter().any(|x| x.id == id) {
            diags.error(
                file,
                m.id.span().start,
                format!("mission `{id}` is listed twice"),
                "give each mission its own id.",
            );
        }
        if !COUNTRIES.contains(&m.country.get_ref().as_str()) {
            diags.error(
                file,
                m.country.span().start,
                format!("unknown country `{}`", m.country.get_ref()),
                format!("use one of {}.", COUNTRIES.join(", ")),
            );
        }
        if m.sources.iter().all(|s| s.trim().is_empty()) {
            diags.error(
                file,
                start,
                format!("mission `{id}` has no source"),
                "add `sources = [\"https://...\"]`: the page where each contact was found.",
            );
        }
        if !m.name.contains_key("ru") {
            diags.error(
                file,
                start,
                format!("mission `{id}` has no Russian name"),
                "add `ru = \"...\"` to `name`.",
            );
        }
        let kind_in_city = m.kind.is_consular() || m.kind == MissionKind::Embassy;
        if let Some(city) = m.city.as_deref().filter(|_| kind_in_city && !out.regions.is_empty()) {
            if !out.regions.iter().any(|r| r.has_city(city)) {
                diags.warning(
                    file,
                    start,
                    format!(
                        "mission `{id}`: city `{city}` is not a city in regions.toml, so the finder cannot offer it"
                    ),
                    "write the city exactly as its Russian name in regions.toml, or add the city there.",
                );
            }
        }
        for p in &m.phones {
            if !valid_phone(p.get_ref()) {
                diags.error(
                    file,
                    p.span().start,
                    format!("`{}` is not a phone number in international form", p.get_ref()),
                    "write it as +7 495 000-00-00 (country code, then digits, spaces and dashes); never add or guess digits.",
                );
            }
        }
        if let Some(w) = &m.website {
            if !doc::is_web_link(w.get_ref()) {
                diags.error(
                    file,
                    w.span().start,
                    format!("site `{}` is not an http(s) address", w.get_ref()),
                    "write it with https://.",
                );
            }
        }
        for r in &m.regions {
            if !out.regions.iter().any(|x| x.id == *r.get_ref()) {
                diags.error(
                    file,
                    r.span().start,
                    format!("unknown region `{}`", r.get_ref()),
                    "use a region id from regions.toml.",
                );
            }
        }
        for d in &m.districts {
            if !out.districts.iter().any(|x| x.id == *d.get_ref()) {
                diags.error(
                    file,
                    d.span().start,
                    format!("unknown federal district `{}`", d.get_ref()),
                    "use a district id from regions.toml.",
                );
            }
        }
        let verified = m
            .verified
            .as_ref()
            .and_then(|v| toml_util::to_date(diags, file, v.span().start, "verified", v.get_ref()));
        if let Some(v) = verified {
            if v > opts.today {
                diags.error(
                    file,
                    start,
                    format!("mission `{id}`: `verified` is in the future"),
                    "use the day the check was done.",
                );
            }
        } else if m.verified.is_none() {
            diags.push(
                file,
                start,
                if opts.strict {
                    Severity::Error
                } else {
                    Severity::Warning
                },
                format!("mission `{id}` is not verified: the bot shows it with a \"not verified\" warning"),
                Some("check it on the official site or by calling, then add `verified = YYYY-MM-DD`.".to_string()),
            );
        }
        out.missions.push(Mission {
            id,
            country: m.country.into_inner(),
            kind: m.kind,
            city: m.city,
            name: m.name,
            address: m.address.filter(|s| !s.trim().is_empty()),
            phones: m.phones.into_iter().map(Spanned::into_inner).collect(),
            email: m.email.filter(|s| !s.trim().is_empty()),
            website: m.website.map(Spanned::into_inner),
            telegram: m.telegram.filter(|s| !s.trim().is_empty()),
            hours: m.hours.filter(|s| !s.trim().is_empty()),
            regions: m.regions.into_iter().map(Spanned::into_inner).collect(),
            districts: m.districts.into_iter().map(Spanned::into_inner).collect(),
            district_note: m.district_note,
            sources: m.sources,
            confidence: m.confidence,
            verified,
            warning: m.warning,
            lat: m.lat,
            lon: m.lon,
        });
    }
    out
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

    #[test]
    fn distances_are_plausible() {
        let moscow_kazan = distance_km(55.75, 37.62, 55.79, 49.12);
        assert!((700.0..740.0).contains(&moscow_kazan), "{moscow_kazan}");
    }
}
