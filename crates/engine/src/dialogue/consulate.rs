//! The consulate finder: country -> city or region (typed, a button, or a shared location) ->
//! the missions that serve it, the embassy and the home country's hotlines, each marked verified
//! or not.

use fluent_bundle::FluentValue;

use super::{Action, Button, Event, Flow, MessageKind, Reply, Turn, Via};
use crate::content::{Confidence, Mission, Region, CONSULATE_CONTACTS};
use crate::doc::{self, Block, Inline};
use crate::search::{Decision, Ranking};

/// A shared location farther than this from every known city is taken to be outside Russia.
const MAX_DISTANCE_KM: f64 = 400.0;
const OTHER: &str = "other";

fn localized<'m>(turn: &Turn<'_>, names: &'m std::collections::BTreeMap<String, String>) -> &'m str {
    turn.lib
        .chain(&turn.lang)
        .into_iter()
        .find_map(|l| names.get(l))
        .or_else(|| names.values().next())
        .map_or("", |s| s)
}

/// The country the user's language suggests (Uzbek -> UZ), if any.
fn country_from_language(turn: &Turn<'_>) -> Option<String> {
    turn.lib.language(&turn.lang).and_then(|l| l.country.clone())
}

fn country_buttons(turn: &Turn<'_>, region: Option<&str>) -> Vec<Vec<Button>> {
    let mut countries: Vec<&crate::content::CountryInfo> = turn.lib.consulates.countries.iter().collect();
    if let Some(mine) = country_from_language(turn) {
        countries.sort_by_key(|c| c.code != mine);
    }
    let mut rows: Vec<Vec<Button>> = countries
        .into_iter()
        .map(|c| {
            let action = match region {
                Some(r) => Action::Region {
                    country: c.code.clone(),
                    region: r.to_string(),
                },
                None => Action::Country(c.code.clone()),
            };
            turn.button(format!("{} {}", c.flag, localized(turn, &c.name)), action)
        })
        .collect();
    rows.push(turn.button(turn.t("country-other"), Action::Country(OTHER.into())));
    rows.extend(turn.footer_rows(true));
    rows
}

pub(super) fn start(turn: &mut Turn<'_>) {
    turn.state.flow = Flow::ConsulateCountry;
    let rows = country_buttons(turn, None);
    turn.say_plain(turn.t("consulate-ask-country"), rows, MessageKind::Navigation);
}

fn region_of_city<'a>(turn: &Turn<'a>, city: &str) -> Option<&'a Region> {
    turn.lib.consulates.regions.iter().find(|r| r.has_city(city))
}

pub(super) fn country_chosen(turn: &mut Turn<'_>, country: &str) {
    if country == OTHER {
        turn.state.flow = super::Flow::Idle;
        let rows = turn.menu_rows();
        turn.say_plain(turn.t("consulate-other-country"), rows, MessageKind::Answer);
        return;
    }
    if !turn.lib.consulates.countries.iter().any(|c| c.code == country) {
        turn.menu(Some(turn.t("stale-button")));
        return;
    }
    turn.state.flow = Flow::ConsulateRegion {
        country: country.to_string(),
    };
    turn.state.country = Some(country.to_string());
    let rows = city_buttons(turn, country);
    turn.say_plain(turn.t("consulate-ask-city"), rows, MessageKind::Navigation);
    turn.replies.push(Reply::AskLocation {
        text: turn.t("button-nearest-consulate"),
        button: turn.t("button-nearest-consulate"),
    });
}

fn city_buttons(turn: &Turn<'_>, country: &str) -> Vec<Vec<Button>> {
    let mut rows: Vec<Vec<Button>> = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for m in turn.lib.consulates.mission_cities(country) {
        let Some(city) = m.city.as_deref() else {
            continue;
        };
        let Some(region) = region_of_city(turn, city) else {
            continue;
        };
        if seen.contains(&region.id.as_str()) {
            continue;
        }
        seen.push(&region.id);
        let city_name = region
            .cities
            .iter()
            .find(|c| c.name.get("ru").is_some_and(|n| n == city))
            .map_or_else(|| localized(turn, &region.name), |c| localized(turn, &c.name));
        rows.push(turn.button(
            format!("📍 {city_name}"),
            Action::Region {
                country: country.to_string(),
                region: region.id.clone(),
            },
        ));
    }
    rows.extend(turn.footer_rows(true));
    rows
}

/// Handles text typed while the finder waits for a city. Returns false when the text is a
/// question rather than a place, so the caller answers it as one.
pub(super) fn region_typed(turn: &mut Turn<'_>, country: &str, text: &str, ranking: &Ranking) -> bool {
    if let Some(region) = turn.index.find_region(&turn.lib.consulates, text) {
        let id = region.id.clone();
        show(turn, country, &id);
        return true;
    }
    if ranking.emergency || matches!(turn.index.decide(ranking), Decision::Answer(_)) {
        turn.state.flow = Flow::Idle;
        return false;
    }
    let rows = city_buttons(turn, country);
    turn.say_plain(turn.t("consulate-not-found"), rows, MessageKind::Answer);
    true
}

/// "консульство узбекистана в казани": a consulate question that names a place goes straight to
/// the answer.
pub(super) fn direct_question(turn: &mut Turn<'_>, text: &str, ranking: &Ranking) -> bool {
    if turn.lib.consulates.missions.is_empty() {
        return false;
    }
    // The best topic, clearly enough, and not a question about jobs or weather in some city.
    let about_consulate = ranking
        .candidates
        .first()
        .is_some_and(|(t, s)| t == CONSULATE_CONTACTS && *s >= turn.index.unsure());
    if ranking.emergency || ranking.off_topic || !about_consulate {
        return false;
    }
    let Some(region) = turn.index.find_region(&turn.lib.consulates, text) else {
        return false;
    };
    let region_id = region.id.clone();
    let country = turn
        .index
        .find_country(&turn.lib.consulates, text)
        .or_else(|| country_from_language(turn));
    match country {
        Some(c) => show(turn, &c, &region_id),
        None => {
            turn.state.flow = Flow::ConsulateCountry;
            let rows = country_buttons(turn, Some(&region_id));
            turn.say_plain(turn.t("consulate-ask-country"), rows, MessageKind::Navigation);
            // The finder is how this topic is answered; count it as opened.
            let lang = turn.lang.clone();
            turn.events.push(Event::TopicOpened {
                topic: CONSULATE_CONTACTS.to_string(),
                lang,
                via: Via::Question,
            });
        }
    }
    true
}

pub(super) fn location(turn: &mut Turn<'_>, lat: f64, lon: f64) {
    let nearest = turn
        .lib
        .consulates
        .nearest_region(lat, lon)
        .filter(|(_, km)| *km <= MAX_DISTANCE_KM);
    let Some((region, _)) = nearest else {
        turn.state.flow = Flow::Idle;
        turn.menu(Some(turn.t("location-outside-russia")));
        return;
    };
    let region_id = region.id.clone();
    let country = match &turn.state.flow {
        Flow::ConsulateRegion { country } => Some(country.clone()),
        _ => country_from_language(turn),
    };
    match country {
        Some(c) => show(turn, &c, &region_id),
        None => {
            turn.state.flow = Flow::ConsulateCountry;
            let rows = country_buttons(turn, Some(&region_id));
            turn.say_plain(turn.t("consulate-ask-country"), rows, MessageKind::Navigation);
        }
    }
}

fn line(runs: &mut Vec<Inline>, icon: &str, label: &str, value: &str) {
    if !runs.is_empty() {
        runs.push(Inline::LineBreak);
    }
    runs.push(Inline::Text(format!("{icon} {label}: {value}")));
}

/// One mission's contacts: its name, a line per contact, and whether anyone checked them.
fn block(turn: &Turn<'_>, m: &Mission) -> Vec<Block> {
    let name = localized(turn, &m.name);
    let mut runs = Vec::new();
    if let Some(a) = &m.address {
        line(&mut runs, "📍", &turn.t("contact-address"), a);
    }
    if !m.phones.is_empty() {
        line(&mut runs, "📞", &turn.t("contact-phone"), &m.phones.join(", "));
    }
    if let Some(e) = &m.email {
        line(&mut runs, "✉️", &turn.t("contact-email"), e);
    }
    if let Some(w) = &m.website {
        line(&mut runs, "🌐", &turn.t("contact-site"), w);
    }
    if let Some(t) = &m.telegram {
        line(&mut runs, "💬", &turn.t("contact-telegram"), t);
    }
    if let Some(h) = &m.hours {
        line(&mut runs, "🕘", &turn.t("contact-hours"), h);
    }
    if !m.warning.is_empty() {
        if !runs.is_empty() {
            runs.push(Inline::LineBreak);
        }
        runs.push(Inline::Text(format!("ℹ️ {}", localized(turn, &m.warning))));
    }
    let status = match m.verified {
        Some(d) => {
            let date = doc::short_date(d);
            format!(
                "✅ {}",
                turn.t_args("contact-verified", &[("date", FluentValue::from(date))])
            )
        }
        None if m.confidence == Confidence::Low => {
            format!("⚠️ {}", turn.t("contact-unverified-low"))
        }
        None => format!("⚠️ {}", turn.t("contact-unverified")),
    };
    let mut out = vec![Block::Heading(doc::text(format!("🏛 {name}")))];
    if !runs.is_empty() {
        out.push(Block::Paragraph(runs));
    }
    out.push(Block::Note(doc::text(status)));
    out
}

/// The answer: who serves `region` for citizens of `country`, the embassy and the hotlines.
pub(super) fn show(turn: &mut Turn<'_>, country: &str, region_id: &str) {
    let lib = turn.lib;
    let (Some(region), true) = (
        lib.consulates.region(region_id),
        lib.consulates.countries.iter().any(|c| c.code == country),
    ) else {
        turn.menu(Some(turn.t("stale-button")));
        return;
    };
    turn.state.flow = Flow::Idle;
    let region_name = localized(turn, &region.name).to_string();
    let serving = lib.consulates.serving(country, region);
    let mut blocks: Vec<Block> = Vec::new();
    let mut shown: Vec<&str> = Vec::new();
    let header_id = if serving.is_empty() {
        "consulate-embassy-fallback"
    } else {
        "consulate-serves"
    };
    blocks.push(doc::para(
        turn.t_args(header_id, &[("region", FluentValue::from(region_name))]),
    ));
    for m in serving.iter().copied().chain(lib.consulates.embassies(country)) {
        if !shown.contains(&m.id.as_str()) {
            shown.push(&m.id);
            blocks.extend(block(turn, m));
        }
    }
    let hotlines = lib.consulates.hotlines(country, region);
    if !hotlines.is_empty() {
        blocks.push(doc::para(turn.t("consulate-hotlines")));
        for m in hotlines {
            if !shown.contains(&m.id.as_str()) {
                shown.push(&m.id);
                blocks.extend(block(turn, m));
            }
        }
    }
    let mut rows: Vec<Vec<Button>> =
        vec![turn.button(turn.t("button-find-consulate"), Action::Country(country.to_string()))];
    rows.extend(turn.footer_rows(true));
    turn.replies.push(Reply::Message {
        blocks,
        buttons: rows,
        kind: MessageKind::Answer,
    });
    for m in serving {
        if let (Some(lat), Some(lon)) = (m.lat, m.lon) {
            let title = localized(turn, &m.name).to_string();
            turn.replies.push(Reply::Venue {
                lat,
                lon,
                title,
                address: m.address.clone().unwrap_or_default(),
            });
        }
    }
    turn.events.push(Event::TopicOpened {
        topic: CONSULATE_CONTACTS.to_string(),
        lang: turn.lang.clone(),
        via: Via::Menu,
    });
}
