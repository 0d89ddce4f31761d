//! The site's pages, one function per kind: what each template is given, and which content
//! files each page is made from (for the preview's problems).

use std::collections::BTreeMap;
use std::path::PathBuf;

use huquq_engine::content::REVIEW_MAX_AGE_DAYS;
use huquq_engine::content::{
    Confidence, Contact, Library, Mission, MissionKind, Phone, PhoneKind, Topic, CONSULATE_CONTACTS, EMERGENCY,
};
use huquq_engine::doc;
use huquq_engine::i18n::FluentValue;
use minijinja::{context, Value};

use super::{common, html, Options, Pending, CONSULATES};

/// Every page of the site.
pub(super) fn all(lib: &Library, opts: &Options<'_>) -> Vec<Pending> {
    let mut out = vec![root(lib, opts)];
    for lang in &lib.languages {
        let lang = lang.code.as_str();
        out.push(topics(lib, opts, lang));
        out.extend(lib.topics.iter().filter_map(|t| article(lib, opts, lang, t)));
        if !lib.consulates.missions.is_empty() {
            out.push(consulates(lib, opts, lang));
            out.extend(
                lib.consulates
                    .countries
                    .iter()
                    .map(|c| country(lib, opts, lang, &c.code)),
            );
        }
    }
    out
}

fn locale(opts: &Options<'_>, lang: &str) -> PathBuf {
    opts.problems.locales.join(lang).join("bot.ftl")
}

fn content(opts: &Options<'_>, file: &str) -> PathBuf {
    opts.problems.content.join(file)
}

/// The name in the first language of the chain that has one.
fn localized<'m>(lib: &Library, lang: &str, names: &'m BTreeMap<String, String>) -> &'m str {
    lib.chain(lang)
        .into_iter()
        .find_map(|l| names.get(l))
        .or_else(|| names.values().next())
        .map_or("", String::as_str)
}

/// The language a topic is shown in for `lang`: its own, or the first fallback that has it.
fn article_lang<'a>(lib: &'a Library, topic: &Topic, lang: &'a str) -> Option<&'a str> {
    lib.chain(lang).into_iter().find(|l| topic.articles.contains_key(*l))
}

fn root(lib: &Library, opts: &Options<'_>) -> Pending {
    let choices: Vec<Value> = lib
        .languages
        .iter()
        .map(|l| {
            let about = lib.i18n.get(&lib.chain(&l.code), "bot-short-description", &[]);
            context! { code => &l.code, name => &l.name, href => format!("{}/index.html", l.code), about }
        })
        .collect();
    let lang = lib.default_language.as_str();
    let base = common(lib, opts, lang, "Huquq", 0, "index.html");
    Pending {
        path: "index.html".into(),
        template: "index.html",
        files: vec![locale(opts, lang)],
        overview: true,
        ctx: context! { choices, bot_link => format!("https://t.me/{}", opts.bot), ..base },
    }
}

fn topics(lib: &Library, opts: &Options<'_>, lang: &str) -> Pending {
    let mut files = vec![locale(opts, lang)];
    let mut list = Vec::new();
    let mut sos = None;
    for topic in &lib.topics {
        let Some(shown) = article_lang(lib, topic, lang) else {
            continue;
        };
        let a = &topic.articles[shown];
        files.push(a.path.clone());
        let href = format!("{}/index.html", topic.id);
        if topic.id == EMERGENCY {
            sos = Some(context! { href });
            continue;
        }
        list.push(context! { href, emoji => &topic.emoji, title => &a.title, summary => &a.summary, lang => shown });
    }
    let consulates = (!lib.consulates.missions.is_empty()).then(|| format!("{CONSULATES}/index.html"));
    let title = lib.i18n.get(&lib.chain(lang), "site-topics", &[]);
    let base = common(lib, opts, lang, &title, 1, "index.html");
    Pending {
        path: format!("{lang}/index.html"),
        template: "topics.html",
        files,
        overview: true,
        ctx: context! { topics => list, sos, consulates, ..base },
    }
}

fn article(lib: &Library, opts: &Options<'_>, lang: &str, topic: &Topic) -> Option<Pending> {
    let shown = article_lang(lib, topic, lang)?;
    let a = &topic.articles[shown];
    let chain = lib.chain(lang);
    let t = |id: &str, args: &[(&str, FluentValue<'_>)]| lib.i18n.get(&chain, id, args);
    let dates = t(
        "article-footer",
        &[
            ("reviewed", doc::short_date(a.reviewed).into()),
            ("law", doc::short_date(a.law_as_of).into()),
        ],
    );
    let law_old = opts
        .today
        .filter(|today| (*today - a.law_as_of).whole_days() > REVIEW_MAX_AGE_DAYS)
        .map(|_| t("article-law-old", &[("law", doc::short_date(a.law_as_of).into())]));
    let sections: Vec<Value> = a
        .sections
        .iter()
        .map(|s| context! { heading => &s.heading, body => Value::from_safe_string(html::render(&s.blocks, 3)) })
        .collect();
    let related: Vec<Value> = topic
        .related
        .iter()
        .filter_map(|id| lib.topic(id))
        .filter_map(|r| {
            let ra = lib.article(r, lang)?;
            Some(context! { href => format!("../{}/index.html", r.id), label => format!("{} {}", r.emoji, ra.title) })
        })
        .collect();
    let mut files = vec![a.path.clone(), a.path.with_file_name("topic.toml"), locale(opts, lang)];
    let card = lib.card.as_ref().filter(|_| topic.id == EMERGENCY).map(|card| {
        files.push(card.path.clone());
        let country = lib.language(lang).and_then(|l| l.country.as_deref());
        card.paragraphs(country)
    });
    let finder = topic.id == EMERGENCY || topic.id == CONSULATE_CONTACTS;
    let consulates = (finder && !lib.consulates.missions.is_empty()).then(|| format!("../{CONSULATES}/index.html"));
    let base = common(lib, opts, lang, &a.title, 2, &format!("{}/index.html", topic.id));
    Some(Pending {
        path: format!("{lang}/{}/index.html", topic.id),
        template: "article.html",
        files,
        overview: false,
        ctx: context! {
            article_lang => shown,
            emoji => &topic.emoji,
            law_old,
            lead => Value::from_safe_string(html::render(&a.lead, 2)),
            dates,
            topic_link => crate::links::deep_link(opts.bot, lang, Some(&topic.id)),
            bot_link => crate::links::deep_link(opts.bot, lang, Some(&topic.id)),
            card,
            sections,
            sources => Value::from_safe_string(html::sources(&a.sources)),
            related,
            consulates,
            ..base
        },
    })
}

fn consulate_files(opts: &Options<'_>, lang: &str) -> Vec<PathBuf> {
    vec![
        content(opts, "consulates.toml"),
        content(opts, "regions.toml"),
        locale(opts, lang),
    ]
}

fn consulates(lib: &Library, opts: &Options<'_>, lang: &str) -> Pending {
    let countries: Vec<Value> = lib
        .consulates
        .countries
        .iter()
        .map(|c| {
            context! {
                href => format!("{}/index.html", c.code.to_ascii_lowercase()),
                flag => &c.flag,
                name => localized(lib, lang, &c.name),
            }
        })
        .collect();
    let title = lib.i18n.get(&lib.chain(lang), "site-consulates", &[]);
    let base = common(lib, opts, lang, &title, 2, &format!("{CONSULATES}/index.html"));
    Pending {
        path: format!("{lang}/{CONSULATES}/index.html"),
        template: "consulates.html",
        files: consulate_files(opts, lang),
        overview: false,
        ctx: context! { countries, ..base },
    }
}

/// A telephone number as a `tel:` link: the digits and a leading +.
fn tel(phone: &str) -> String {
    let digits: String = phone.chars().filter(|c| c.is_ascii_digit() || *c == '+').collect();
    format!("tel:{digits}")
}

/// One contact value, maybe a link, marked ⚠️ when it comes from an unofficial source.
fn value(text: &str, confidence: Confidence, href: Option<String>) -> Value {
    let text = if confidence == Confidence::Low {
        format!("{text} ⚠️")
    } else {
        text.to_string()
    };
    context! { text, href }
}

/// A mission's contacts as label and values (each maybe a link), and its verification status.
fn mission(lib: &Library, lang: &str, m: &Mission) -> Value {
    let chain = lib.chain(lang);
    let t = |id: &str| lib.i18n.get(&chain, id, &[]);
    let mut contacts: Vec<Value> = Vec::new();
    let mut add = |label: &str, values: Vec<Value>| {
        if !values.is_empty() {
            contacts.push(context! { label => t(label), values });
        }
    };
    add(
        "contact-address",
        m.address.iter().map(|a| value(&a.value, a.confidence, None)).collect(),
    );
    let phone = |p: &Phone| {
        let kind = p.kind.map(|k| match k {
            PhoneKind::Hotline => t("contact-kind-hotline"),
            PhoneKind::CallCentre => t("contact-kind-call-centre"),
        });
        let text = match kind {
            Some(k) => format!("{} ({k})", p.number),
            None => p.number.clone(),
        };
        value(&text, p.confidence, Some(tel(&p.number)))
    };
    add("contact-phone", m.phones.iter().map(phone).collect());
    add(
        "contact-email",
        m.email
            .iter()
            .map(|e| value(&e.value, e.confidence, Some(format!("mailto:{}", e.value))))
            .collect(),
    );
    let web = |u: &Contact| {
        value(
            &u.value,
            u.confidence,
            doc::is_web_link(&u.value).then(|| u.value.trim().to_string()),
        )
    };
    add("contact-site", m.website.iter().map(web).collect());
    let telegram = |u: &Contact| {
        let href = match u.value.strip_prefix('@') {
            Some(name) => Some(format!("https://t.me/{name}")),
            None => doc::is_web_link(&u.value).then(|| u.value.trim().to_string()),
        };
        value(&u.value, u.confidence, href)
    };
    add("contact-telegram", m.telegram.iter().map(telegram).collect());
    add(
        "contact-hours",
        m.hours
            .iter()
            .map(|h| value(localized(lib, lang, h), Confidence::High, None))
            .collect(),
    );
    let (status, class) = match m.verified {
        Some(d) => {
            let date = FluentValue::from(doc::short_date(d));
            (
                format!("✅ {}", lib.i18n.get(&chain, "contact-verified", &[("date", date)])),
                "verified",
            )
        }
        None if m.confidences().any(|c| c == Confidence::Low) && m.confidences().any(|c| c != Confidence::Low) => {
            (format!("⚠️ {}", t("contact-unverified-mixed")), "unverified")
        }
        None if m.confidence == Confidence::Low => (format!("⚠️ {}", t("contact-unverified-low")), "unverified"),
        None => (format!("⚠️ {}", t("contact-unverified")), "unverified"),
    };
    let warning = (!m.warning.is_empty()).then(|| localized(lib, lang, &m.warning).to_string());
    context! {
        id => &m.id,
        name => localized(lib, lang, &m.name),
        contacts,
        warning,
        status,
        status_class => class,
    }
}

/// Which missions serve each region, by federal district: a region's consular missions, else
/// the embassy.
fn districts(lib: &Library, lang: &str, code: &str) -> Vec<Value> {
    let c = &lib.consulates;
    c.districts
        .iter()
        .map(|d| {
            let regions: Vec<Value> = c
                .regions
                .iter()
                .filter(|r| r.district == d.id)
                .filter_map(|r| {
                    let mut serving = c.serving(code, r);
                    if serving.is_empty() {
                        serving = c.embassies(code);
                    }
                    let missions: Vec<Value> = serving
                        .iter()
                        .map(|m| context! { id => &m.id, name => localized(lib, lang, &m.name) })
                        .collect();
                    (!missions.is_empty()).then(|| context! { name => localized(lib, lang, &r.name), missions })
                })
                .collect();
            context! { name => localized(lib, lang, &d.name), regions }
        })
        .filter(|d| d.get_attr("regions").is_ok_and(|r| r.len().unwrap_or(0) > 0))
        .collect()
}

fn country(lib: &Library, opts: &Options<'_>, lang: &str, code: &str) -> Pending {
    let c = &lib.consulates;
    let info = c.countries.iter().find(|i| i.code == code);
    let name = info.map_or(code, |i| localized(lib, lang, &i.name));
    let of = |kinds: &dyn Fn(MissionKind) -> bool| -> Vec<Value> {
        c.missions
            .iter()
            .filter(|m| m.country == code && kinds(m.kind))
            .map(|m| mission(lib, lang, m))
            .collect()
    };
    let chain = lib.chain(lang);
    let hotlines_heading = lib.i18n.get(&chain, "consulate-hotlines", &[]);
    let groups: Vec<Value> = [
        (
            lib.i18n.get(&chain, "site-consulates", &[]),
            of(&|k| k == MissionKind::Embassy || k.is_consular()),
        ),
        (
            hotlines_heading.trim_end_matches([':', ' ']).to_string(),
            of(&|k| k == MissionKind::AgencyOffice || k == MissionKind::Hotline),
        ),
    ]
    .into_iter()
    .filter(|(_, missions)| !missions.is_empty())
    .map(|(heading, missions)| context! { heading, missions })
    .collect();
    let dir = code.to_ascii_lowercase();
    let base = common(lib, opts, lang, name, 3, &format!("{CONSULATES}/{dir}/index.html"));
    Pending {
        path: format!("{lang}/{CONSULATES}/{dir}/index.html"),
        template: "country.html",
        files: consulate_files(opts, lang),
        overview: false,
        ctx: context! {
            flag => info.map(|i| i.flag.as_str()),
            groups,
            districts => districts(lib, lang, code),
            ..base
        },
    }
}
