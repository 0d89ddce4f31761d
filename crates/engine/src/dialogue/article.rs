//! An article as pages, one phone screen each: the lead (the title and the answer) with a
//! button for every section, each section, and the sources. A page's buttons lead to the others;
//! the front end shows them in place of the page the button was on. The emergency topic is
//! followed by the card for the officer, a message of its own that can be shown to a police
//! officer as it is.

use fluent_bundle::FluentValue;

use super::{Action, Button, MessageKind, Page, Reply, Turn};
use crate::content::{Article, Topic, CONSULATE_CONTACTS, EMERGENCY, REVIEW_MAX_AGE_DAYS};
use crate::doc::{self, Block, Inline};

/// Shows one page of `topic`'s article in the turn's language.
pub(super) fn show(turn: &mut Turn<'_>, topic: &Topic, page: Page, kind: MessageKind) {
    let Some(article) = turn.lib.article(topic, &turn.lang) else {
        return;
    };
    // A section that no longer exists (the article was edited) shows the lead.
    let page = match page {
        Page::Section(i) if usize::from(i) >= article.sections.len() => Page::Lead,
        p => p,
    };
    let mut blocks = vec![Block::Title(doc::text(format!("{} {}", topic.emoji, article.title)))];
    let buttons = match page {
        Page::Lead => {
            blocks.extend(law_age_notice(turn, article));
            blocks.extend(article.lead.iter().cloned());
            let mut buttons = lead_buttons(turn, topic, article);
            if let Some((region, country)) = turn.place.clone().filter(|_| topic.id == EMERGENCY) {
                super::consulate::in_emergency(turn, &region, country, &mut blocks, &mut buttons);
            }
            blocks.push(dates(turn, article));
            buttons
        }
        Page::Section(i) => {
            let section = &article.sections[usize::from(i)];
            blocks.push(Block::Heading(doc::text(section.heading.clone())));
            blocks.extend(section.blocks.iter().cloned());
            section_buttons(turn, topic, article, i)
        }
        Page::Sources => {
            blocks.push(Block::Heading(doc::text(turn.t("article-sources"))));
            blocks.push(source_list(&article.sources));
            blocks.push(dates(turn, article));
            sources_buttons(turn, topic)
        }
    };
    turn.replies.push(Reply::Message { blocks, buttons, kind });
}

/// "Checked on …, the law as of …".
fn dates(turn: &Turn<'_>, article: &Article) -> Block {
    let line = turn.t_args(
        "article-footer",
        &[
            ("reviewed", doc::short_date(article.reviewed).into()),
            ("law", doc::short_date(article.law_as_of).into()),
        ],
    );
    Block::Note(doc::text(line))
}

/// When the law an article rests on was last checked more than `REVIEW_MAX_AGE_DAYS` ago, the
/// reader is told first.
fn law_age_notice(turn: &Turn<'_>, article: &Article) -> Option<Block> {
    let today = turn.ctx.today?;
    if (today - article.law_as_of).whole_days() <= REVIEW_MAX_AGE_DAYS {
        return None;
    }
    let date = FluentValue::from(doc::short_date(article.law_as_of));
    Some(Block::Note(doc::text(format!(
        "⚠️ {}",
        turn.t_args("article-law-old", &[("law", date)])
    ))))
}

pub(super) fn source_list(sources: &[crate::content::Source]) -> Block {
    let items = sources
        .iter()
        .map(|s| {
            let runs = match &s.url {
                Some(url) => vec![Inline::Link {
                    url: url.clone(),
                    text: doc::text(if s.label.is_empty() {
                        url.clone()
                    } else {
                        s.label.clone()
                    }),
                }],
                None => doc::text(s.label.clone()),
            };
            vec![Block::Paragraph(runs)]
        })
        .collect();
    Block::List { start: None, items }
}

fn page_button(turn: &Turn<'_>, label: String, topic: &Topic, page: Page) -> Vec<Button> {
    turn.button(
        label,
        Action::Page {
            topic: topic.id.clone(),
            page,
        },
    )
}

fn lead_buttons(turn: &Turn<'_>, topic: &Topic, article: &Article) -> Vec<Vec<Button>> {
    let mut rows: Vec<Vec<Button>> = article
        .sections
        .iter()
        .enumerate()
        .filter_map(|(i, s)| Some((u8::try_from(i).ok()?, s)))
        .map(|(i, s)| page_button(turn, format!("▸ {}", s.heading), topic, Page::Section(i)))
        .collect();
    if (topic.id == CONSULATE_CONTACTS || topic.id == EMERGENCY) && !turn.lib.consulates.missions.is_empty() {
        rows.push(turn.button(turn.t("button-find-consulate"), Action::Consulate));
    }
    rows.push(page_button(turn, turn.t("button-sources"), topic, Page::Sources));
    rows.extend(turn.footer_rows(true));
    rows
}

fn section_buttons(turn: &Turn<'_>, topic: &Topic, article: &Article, i: u8) -> Vec<Vec<Button>> {
    let mut nav = page_button(turn, turn.t("button-back"), topic, Page::Lead);
    let next = i.checked_add(1).filter(|n| usize::from(*n) < article.sections.len());
    if let Some(n) = next {
        nav.extend(page_button(turn, turn.t("button-next"), topic, Page::Section(n)));
    }
    let mut rows = vec![nav];
    if topic.id == EMERGENCY && !turn.lib.consulates.missions.is_empty() {
        rows.push(turn.button(turn.t("button-find-consulate"), Action::Consulate));
    }
    rows.push(page_button(turn, turn.t("button-sources"), topic, Page::Sources));
    rows.extend(turn.footer_rows(true));
    rows
}

fn sources_buttons(turn: &Turn<'_>, topic: &Topic) -> Vec<Vec<Button>> {
    let mut rows = vec![page_button(turn, turn.t("button-back"), topic, Page::Lead)];
    for r in &topic.related {
        if let Some(rt) = turn.lib.topic(r) {
            rows.push(turn.button(turn.topic_label(rt), Action::Topic(rt.id.clone())));
        }
    }
    if topic.id != EMERGENCY {
        rows.push(turn.button(turn.t("button-subscribe"), Action::Subscribe(topic.id.clone())));
    }
    rows.extend(turn.footer_rows(true));
    rows
}

/// The country whose wording the card uses: the one the user chose, else the one their language
/// suggests.
fn card_country(turn: &Turn<'_>) -> Option<String> {
    turn.state
        .country
        .clone()
        .or_else(|| turn.lib.language(&turn.lang).and_then(|l| l.country.clone()))
}

/// The card for the officer: one line in the user's language, then the Russian text alone, with
/// a button that sends it as a picture (to hold up on the phone) and buttons to switch to another
/// country's wording.
pub(super) fn card(turn: &mut Turn<'_>, kind: MessageKind) {
    let Some(card) = turn.lib.card.as_ref() else {
        return;
    };
    let country = card_country(turn);
    let text = card
        .paragraphs(country.as_deref())
        .into_iter()
        .map(|p| Block::Paragraph(doc::text(p)))
        .collect();
    let blocks = vec![Block::Note(doc::text(turn.t("card-note"))), Block::Quote(text)];
    let row = card
        .countries()
        .filter_map(|code| turn.lib.consulates.countries.iter().find(|c| c.code == code))
        .map(|c| {
            let mark = if country.as_deref() == Some(c.code.as_str()) {
                "✓ "
            } else {
                ""
            };
            Button {
                label: format!("{mark}{} {}", c.flag, c.code),
                data: Action::Card(Some(c.code.clone())).encode(),
                link: false,
            }
        })
        .collect::<Vec<_>>();
    let mut buttons = vec![turn.button(turn.t("button-card-picture"), Action::CardPicture(country))];
    if !row.is_empty() {
        buttons.push(row);
    }
    turn.replies.push(Reply::Message { blocks, buttons, kind });
}
