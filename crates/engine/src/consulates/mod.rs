//! The consulate finder's data and its questions, in one place: the home countries, their
//! missions, hotlines and migration offices (`content/consulates.toml`), Russia's districts,
//! regions and cities with the foreign towns near its borders (`content/regions.toml`), which
//! missions serve which region, the nearest region to a shared location, and the place names a
//! message mentions. The dialogue's finder (`dialogue/consulate.rs`) asks these questions.

mod load;
mod places;

use std::collections::BTreeMap;

use serde::Deserialize;
use time::Date;

pub use load::load;
use places::Places;

/// A text in several languages, by language code; `ru` is the one every entry has.
pub type Localized = BTreeMap<String, String>;

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

/// What a phone number is, when the source says: people in distress should know which line is
/// staffed for them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PhoneKind {
    Hotline,
    CallCentre,
}

/// One contact detail and how sure the sources are of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    pub value: String,
    pub confidence: Confidence,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone {
    pub number: String,
    pub confidence: Confidence,
    pub kind: Option<PhoneKind>,
}

#[derive(Debug, Clone)]
pub struct Mission {
    pub id: String,
    pub country: String,
    pub kind: MissionKind,
    /// The city in Russian, as the source names it; absent for people who cover a whole district.
    pub city: Option<String>,
    pub name: Localized,
    pub address: Option<Contact>,
    pub phones: Vec<Phone>,
    pub email: Option<Contact>,
    pub website: Option<Contact>,
    pub telegram: Option<Contact>,
    pub hours: Option<Localized>,
    pub regions: Vec<String>,
    pub districts: Vec<String>,
    /// What the sources say of the district, shown where it matters (the mission serves a region
    /// through its district, or two missions are shown).
    pub district_note: Option<Localized>,
    pub sources: Vec<String>,
    /// The lowest confidence of the mission's contacts.
    pub confidence: Confidence,
    /// The day a person checked the contacts against the official site or by calling.
    pub verified: Option<Date>,
    pub warning: Localized,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
}

impl Mission {
    /// The mission's contact details with their confidence, in the order they are shown.
    pub fn contacts(&self) -> impl Iterator<Item = &Contact> {
        [&self.address, &self.email, &self.website, &self.telegram]
            .into_iter()
            .flatten()
    }

    /// Whether there is any way to reach it.
    pub fn reachable(&self) -> bool {
        !self.phones.is_empty() || self.email.is_some() || self.website.is_some() || self.telegram.is_some()
    }

    /// The confidences of everything shown, phones included.
    pub fn confidences(&self) -> impl Iterator<Item = Confidence> + '_ {
        self.phones
            .iter()
            .map(|p| p.confidence)
            .chain(self.contacts().map(|c| c.confidence))
    }
}

#[derive(Debug, Clone)]
pub struct District {
    pub id: String,
    pub name: Localized,
    pub aliases: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Region {
    pub id: String,
    pub district: String,
    pub name: Localized,
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
    pub name: Localized,
    pub aliases: Vec<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
}

/// A town outside Russia near its borders: a shared location nearest to one of these is abroad.
#[derive(Debug, Clone)]
pub struct Abroad {
    pub name: String,
    pub lat: f64,
    pub lon: f64,
}

/// A home country, as the finder names it and as people type it.
#[derive(Debug, Clone)]
pub struct CountryInfo {
    pub code: String,
    pub flag: String,
    pub name: Localized,
    pub aliases: Vec<String>,
}

#[derive(Debug, Default)]
pub struct Consulates {
    pub countries: Vec<CountryInfo>,
    pub missions: Vec<Mission>,
    pub districts: Vec<District>,
    pub regions: Vec<Region>,
    pub abroad: Vec<Abroad>,
    /// Every country, region and city name, folded once for matching messages.
    places: Places,
}

/// A shared location farther than this from every known town is taken to be outside Russia.
pub const MAX_DISTANCE_KM: f64 = 400.0;

impl Consulates {
    pub fn region(&self, id: &str) -> Option<&Region> {
        self.regions.iter().find(|r| r.id == id)
    }

    pub fn country(&self, code: &str) -> Option<&CountryInfo> {
        self.countries.iter().find(|c| c.code == code)
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

    /// Whether `m` serves `region` only through its federal district (not by name).
    pub fn by_district(&self, m: &Mission, region: &Region) -> bool {
        !m.regions.contains(&region.id) && m.districts.contains(&region.district)
    }

    pub fn embassies(&self, country: &str) -> Vec<&Mission> {
        self.missions
            .iter()
            .filter(|m| m.country == country && m.kind == MissionKind::Embassy)
            .collect()
    }

    /// Every consular mission and embassy of `country`, for when none serves a region.
    pub fn all_of(&self, country: &str) -> Vec<&Mission> {
        self.missions
            .iter()
            .filter(|m| m.country == country && (m.kind.is_consular() || m.kind == MissionKind::Embassy))
            .collect()
    }

    /// The home country's hotlines, and the offices of its migration bodies that serve `region`
    /// (by their district, or because they sit in it) and can be reached; failing those, the ones
    /// in Moscow, which act for the whole country. An office nobody can reach is left out.
    pub fn hotlines(&self, country: &str, region: &Region) -> Vec<&Mission> {
        let offices = || {
            self.missions
                .iter()
                .filter(move |m| m.country == country && m.kind == MissionKind::AgencyOffice && m.reachable())
        };
        let serves = |m: &Mission| {
            m.regions.contains(&region.id)
                || m.districts.contains(&region.district)
                || m.city.as_deref().is_some_and(|c| region.has_city(c))
        };
        let mut out: Vec<&Mission> = offices().filter(|m| serves(m)).collect();
        if out.is_empty() {
            out = offices().filter(|m| m.city.as_deref() == Some("Москва")).collect();
        }
        out.extend(
            self.missions
                .iter()
                .filter(|m| m.country == country && m.kind == MissionKind::Hotline && m.reachable()),
        );
        out
    }

    /// The number a detained person's card gives for `country`: its embassy's consular section,
    /// else its embassy, else a hotline, each only if it has a number that can be called from
    /// Russia (short numbers work only at home). Returns the mission and those numbers.
    pub fn card_contact(&self, country: &str) -> Option<(&Mission, Vec<&str>)> {
        fn callable(m: &Mission) -> Vec<&str> {
            m.phones
                .iter()
                .map(|p| p.number.as_str())
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

    /// Cities with a consular mission or an embassy of `country`, one mission each, in data order.
    pub fn mission_cities(&self, country: &str) -> Vec<&Mission> {
        let mut seen: Vec<&str> = Vec::new();
        let mut out = Vec::new();
        for m in self.all_of(country) {
            let Some(city) = m.city.as_deref() else {
                continue;
            };
            if !seen.contains(&city) {
                seen.push(city);
                out.push(m);
            }
        }
        out
    }

    /// The region of the town nearest to a point, with the distance in km; `None` when the
    /// nearest known town is abroad or every town is farther than `MAX_DISTANCE_KM`.
    pub fn nearest_region(&self, lat: f64, lon: f64) -> Option<(&Region, f64)> {
        let home = self
            .regions
            .iter()
            .flat_map(|r| r.cities.iter().map(move |c| (r, c)))
            .filter_map(|(r, c)| Some((r, distance_km(lat, lon, c.lat?, c.lon?))))
            .min_by(|a, b| a.1.total_cmp(&b.1))?;
        let abroad = self
            .abroad
            .iter()
            .map(|a| distance_km(lat, lon, a.lat, a.lon))
            .min_by(f64::total_cmp);
        if abroad.is_some_and(|d| d < home.1) || home.1 > MAX_DISTANCE_KM {
            return None;
        }
        Some(home)
    }

    /// The home country a text names («узбекистана», «qirgʻiz», «тоҷик»), if any.
    pub fn find_country(&self, text: &str) -> Option<&CountryInfo> {
        let tokens = crate::search::normalize::tokens(text);
        let (country, _) = self.places.country(&tokens);
        country.and_then(|i| self.countries.get(i))
    }

    /// The Russian region a text names by a city, a region name or a common spelling.
    pub fn find_region(&self, text: &str) -> Option<&Region> {
        let tokens = crate::search::normalize::tokens(text);
        self.places.region(&tokens).and_then(|i| self.regions.get(i))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_are_plausible() {
        let moscow_kazan = distance_km(55.75, 37.62, 55.79, 49.12);
        assert!((700.0..740.0).contains(&moscow_kazan), "{moscow_kazan}");
    }
}
