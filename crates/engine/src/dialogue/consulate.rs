//! The consulate finder: country -> city or region (typed, a button, or a shared location) ->
//! the missions that serve it, the embassy and the home country's hotlines, each marked verified
//! or not.

use fluent_bundle::FluentValue;

use super::{Action, Button, Event, Flow, MessageKind, Reply, Turn, Via};
use crate::consulates::{Confidence, Contact, Mission, MissionKind, PhoneKind, Region};
use crate::content::CONSULATE_CONTACTS;
use crate::doc::{self, Block, Inline};
use crate::search::{Decision, Ranking};

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
    if let Some(region) = turn.lib.consulates.find_region(text) {
        let id = region.id.clone();
        show(turn, country, &id, Via::Menu);
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
        .shares
        .first()
        .is_some_and(|(t, s)| t == CONSULATE_CONTACTS && *s >= turn.index.unsure());
    if ranking.emergency || ranking.off_topic || !about_consulate {
        return false;
    }
    let Some(region) = turn.lib.consulates.find_region(text) else {
        return false;
    };
    let region_id = region.id.clone();
    let country = turn
        .lib
        .consulates
        .find_country(text)
        .map(|c| c.code.clone())
        .or_else(|| country_from_language(turn));
    match country {
        Some(c) => show(turn, &c, &region_id, Via::Question),
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
    let Some((region, _)) = turn.lib.consulates.nearest_region(lat, lon) else {
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
        Some(c) => show(turn, &c, &region_id, Via::Menu),
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

/// A contact's value, marked ⚠️ when it comes from an unofficial source.
fn marked(value: &str, confidence: Confidence, mixed: bool) -> String {
    if mixed && confidence == Confidence::Low {
        format!("{value} ⚠️")
    } else {
        value.to_string()
    }
}

/// One mission's contacts: its name, a line per contact (a ⚠️ after the ones from an unofficial
/// source when the others are better sourced), what kind of line a phone is, its hours in the
/// reader's language, the research's warning, and whether anyone checked it.
fn block(turn: &Turn<'_>, m: &Mission, district_note: bool) -> Vec<Block> {
    let name = localized(turn, &m.name);
    let lows = m.confidences().filter(|c| *c == Confidence::Low).count();
    let mixed = lows > 0 && lows < m.confidences().count();
    let mut runs = Vec::new();
    let contact = |runs: &mut Vec<Inline>, icon: &str, id: &str, c: &Option<Contact>| {
        if let Some(c) = c {
            line(runs, icon, &turn.t(id), &marked(&c.value, c.confidence, mixed));
        }
    };
    contact(&mut runs, "📍", "contact-address", &m.address);
    for p in &m.phones {
        let mut number = marked(&p.number, p.confidence, mixed);
        if let Some(kind) = p.kind {
            let id = match kind {
                PhoneKind::Hotline => "contact-kind-hotline",
                PhoneKind::CallCentre => "contact-kind-call-centre",
            };
            number.push_str(&format!(" ({})", turn.t(id)));
        }
        line(&mut runs, "📞", &turn.t("contact-phone"), &number);
    }
    contact(&mut runs, "✉️", "contact-email", &m.email);
    contact(&mut runs, "🌐", "contact-site", &m.website);
    contact(&mut runs, "💬", "contact-telegram", &m.telegram);
    if let Some(h) = &m.hours {
        line(&mut runs, "🕘", &turn.t("contact-hours"), localized(turn, h));
    }
    let mut notes: Vec<String> = Vec::new();
    if m.kind.is_consular() && !m.reachable() {
        notes.push(turn.t("contact-none"));
    }
    if !m.warning.is_empty() {
        notes.push(localized(turn, &m.warning).to_string());
    }
    if let Some(note) = m.district_note.as_ref().filter(|_| district_note) {
        notes.push(localized(turn, note).to_string());
    }
    for n in notes {
        if !runs.is_empty() {
            runs.push(Inline::LineBreak);
        }
        runs.push(Inline::Text(format!("ℹ️ {n}")));
    }
    let status = match m.verified {
        Some(d) => {
            let date = doc::short_date(d);
            format!(
                "✅ {}",
                turn.t_args("contact-verified", &[("date", FluentValue::from(date))])
            )
        }
        None if mixed => format!("⚠️ {}", turn.t("contact-unverified-mixed")),
        None if m.confidence == Confidence::Low => format!("⚠️ {}", turn.t("contact-unverified-low")),
        None => format!("⚠️ {}", turn.t("contact-unverified")),
    };
    let mut out = vec![Block::Heading(doc::text(format!("🏛 {name}")))];
    if !runs.is_empty() {
        out.push(Block::Paragraph(runs));
    }
    out.push(Block::Note(doc::text(status)));
    out
}

/// The answer: who serves `region` for citizens of `country`, the embassy and the hotlines; when
/// no mission serves it and there is no embassy, every mission of the country that is known;
/// then what to have ready when calling and what to do if nobody answers.
pub(super) fn show(turn: &mut Turn<'_>, country: &str, region_id: &str, via: Via) {
    let lib = turn.lib;
    let (Some(region), Some(info)) = (lib.consulates.region(region_id), lib.consulates.country(country)) else {
        turn.menu(Some(turn.t("stale-button")));
        return;
    };
    turn.state.flow = Flow::Idle;
    turn.state.country = Some(country.to_string());
    let region_name = localized(turn, &region.name).to_string();
    let country_name = localized(turn, &info.name).to_string();
    let serving = lib.consulates.serving(country, region);
    let embassies = lib.consulates.embassies(country);
    let (header_id, missions): (&str, Vec<&Mission>) = if !serving.is_empty() {
        (
            "consulate-serves",
            serving.iter().copied().chain(embassies.iter().copied()).collect(),
        )
    } else if !embassies.is_empty() {
        ("consulate-embassy-fallback", embassies.clone())
    } else {
        ("consulate-none-known", lib.consulates.all_of(country))
    };
    let args = [
        ("region", FluentValue::from(region_name)),
        ("country", FluentValue::from(country_name)),
    ];
    let mut blocks = vec![doc::para(turn.t_args(header_id, &args))];
    let mut shown: Vec<&str> = Vec::new();
    // A district's note matters when it is how the region is served, or when two serve it.
    let two = serving.len() > 1;
    for m in missions {
        if !shown.contains(&m.id.as_str()) {
            shown.push(&m.id);
            let note = two || lib.consulates.by_district(m, region);
            blocks.extend(block(turn, m, note));
        }
    }
    let hotlines: Vec<&Mission> = lib
        .consulates
        .hotlines(country, region)
        .into_iter()
        .filter(|m| !shown.contains(&m.id.as_str()))
        .collect();
    if !hotlines.is_empty() {
        blocks.push(doc::para(turn.t("consulate-hotlines")));
        for m in hotlines {
            blocks.extend(block(turn, m, false));
        }
    }
    blocks.push(Block::Note(doc::text(turn.t("consulate-call-ready"))));
    blocks.push(Block::Note(doc::text(turn.t("consulate-no-answer"))));
    let mut rows: Vec<Vec<Button>> = Vec::new();
    if let Some(topic) = lib.topic(CONSULATE_CONTACTS) {
        rows.push(turn.button(turn.topic_label(topic), Action::Topic(topic.id.clone())));
    }
    rows.push(turn.button(turn.t("button-find-consulate"), Action::Country(country.to_string())));
    rows.extend(turn.footer_rows(true));
    turn.replies.push(Reply::Message {
        blocks,
        buttons: rows,
        kind: MessageKind::Answer,
    });
    for m in serving.iter().filter(|m| m.kind != MissionKind::AgencyOffice) {
        if let (Some(lat), Some(lon)) = (m.lat, m.lon) {
            let title = localized(turn, &m.name).to_string();
            turn.replies.push(Reply::Venue {
                lat,
                lon,
                title,
                address: m.address.as_ref().map(|a| a.value.clone()).unwrap_or_default(),
            });
        }
    }
    turn.events.push(Event::TopicOpened {
        topic: CONSULATE_CONTACTS.to_string(),
        lang: turn.lang.clone(),
        via,
    });
}

/// For an emergency that names a place: the consulate that serves it, in short (name, phones,
/// whether anyone checked them), into the emergency answer, and a button to all of that
/// region's contacts. Without the home country, a button per country instead.
pub(super) fn in_emergency(
    turn: &Turn<'_>,
    region_id: &str,
    country: Option<String>,
    blocks: &mut Vec<Block>,
    buttons: &mut Vec<Vec<Button>>,
) {
    let consulates = &turn.lib.consulates;
    let Some(region) = consulates.region(region_id) else {
        return;
    };
    let region_name = localized(turn, &region.name).to_string();
    let country = country
        .or_else(|| turn.state.country.clone())
        .or_else(|| country_from_language(turn))
        .filter(|c| consulates.country(c).is_some());
    // The finder's button becomes this region's.
    buttons.retain(|row| !row.iter().any(|b| b.data == Action::Consulate.encode()));
    let label = turn.t_args(
        "button-consulate-region",
        &[("region", FluentValue::from(region_name.clone()))],
    );
    let Some(country) = country else {
        let row: Vec<Button> = consulates
            .countries
            .iter()
            .map(|c| Button {
                label: format!("{} {}", c.flag, localized(turn, &c.name)),
                data: Action::Region {
                    country: c.code.clone(),
                    region: region_id.to_string(),
                }
                .encode(),
                link: false,
            })
            .collect();
        blocks.push(doc::para(format!("🏛 {label}")));
        buttons.insert(0, row);
        return;
    };
    let mut missions = consulates.serving(&country, region);
    if missions.is_empty() {
        missions = consulates.embassies(&country);
    }
    if missions.is_empty() {
        missions = consulates.all_of(&country);
    }
    blocks.push(Block::Heading(doc::text(format!(
        "🏛 {}",
        turn.t_args("emergency-consulate", &[("region", FluentValue::from(region_name))])
    ))));
    for m in missions.into_iter().take(2) {
        let phones: Vec<&str> = m.phones.iter().map(|p| p.number.as_str()).collect();
        let mut text = localized(turn, &m.name).to_string();
        if !phones.is_empty() {
            text.push_str(&format!(": 📞 {}", phones.join(", ")));
        }
        let status = if m.verified.is_some() { "✅" } else { "⚠️" };
        blocks.push(doc::para(format!("{text} {status}")));
    }
    buttons.insert(
        0,
        turn.button(
            format!("🏛 {label}"),
            Action::Region {
                country,
                region: region_id.to_string(),
            },
        ),
    );
}
