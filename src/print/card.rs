//! The card for the officer as a picture a person holds up on a phone: portrait, 1080 pixels
//! wide, large dark type on white. On top, one line in the person's language (show this to the
//! officer); then the Russian text for the officer with its citations (`content/card.toml`); then
//! the number of the country's embassy or hotline with whether anyone checked it; the dates last.

use huquq_engine::content::{Confidence, Library};
use huquq_engine::doc;
use huquq_engine::i18n::FluentValue;

use super::svg::{Align, Ink, Svg};

/// The picture's width in pixels: what phones show full-width without scaling up.
pub const WIDTH: f32 = 1080.0;
const MARGIN: f32 = 64.0;
const BODY: f32 = 42.0;
const BLUE: &str = "#0b3d91";
const INK: Ink = Ink {
    bold: false,
    fill: "#111111",
};
const CITE: Ink = Ink {
    bold: false,
    fill: BLUE,
};

/// A paragraph of the card cut into its text and its citations (the parts in parentheses).
fn with_citations(p: &str) -> Vec<(&str, Ink)> {
    let mut out = Vec::new();
    let mut rest = p;
    while let Some(open) = rest.find('(') {
        let Some(len) = rest[open..].find(')') else { break };
        if open > 0 {
            out.push((&rest[..open], INK));
        }
        out.push((&rest[open..=open + len], CITE));
        rest = &rest[open + len + 1..];
    }
    if !rest.is_empty() {
        out.push((rest, INK));
    }
    out
}

/// The card for a person of `country` (`None`: not known) who reads `lang`, as SVG; `None`
/// when the content has no card.
pub fn svg(lib: &Library, country: Option<&str>, lang: &str) -> Option<String> {
    let card = lib.card.as_ref()?;
    let chain = lib.chain(lang);
    let t = |id: &str, args: &[(&str, FluentValue<'_>)]| lib.i18n.get(&chain, id, args);
    let width = WIDTH - 2.0 * MARGIN;
    let mut svg = Svg::new(WIDTH);

    // The line in the person's language, on a dark band.
    let note = t("card-note", &[]);
    let white = Ink {
        bold: true,
        fill: "#ffffff",
    };
    let band_lines = super::svg::wrap(&[(&note, white)], 46.0, width).len() as f32;
    let band = 2.0 * 44.0 + band_lines * 46.0 * super::svg::LEADING;
    svg.rect(0.0, 0.0, WIDTH, band, BLUE, 0.0);
    svg.text(MARGIN, 44.0, width, 46.0, &[(&note, white)], Align::Left);

    // The text for the officer.
    let mut y = band + 48.0;
    for p in card.paragraphs(country) {
        y = svg.text(MARGIN, y, width, BODY, &with_citations(&p), Align::Left) + 26.0;
    }

    if let Some(code) = country {
        y = contact(&mut svg, lib, &chain, code, y);
    }

    let law = [
        ("reviewed", FluentValue::from(doc::short_date(card.reviewed))),
        ("law", FluentValue::from(doc::short_date(card.law_as_of))),
    ];
    let footer = lib.i18n.get(&lib.chain("ru"), "article-footer", &law);
    let grey = Ink {
        bold: false,
        fill: "#444444",
    };
    y = svg.text(
        MARGIN,
        y + 12.0,
        width,
        26.0,
        &[(&format!("Huquq · {footer}"), grey)],
        Align::Left,
    );
    let height = (y + MARGIN).max(WIDTH * 1.25);
    Some(svg.finish(height.ceil(), None))
}

/// The embassy's or hotline's number under a rule, with whether anyone checked it; returns
/// where it ends.
fn contact(svg: &mut Svg, lib: &Library, chain: &[&str], country: &str, top: f32) -> f32 {
    let t = |id: &str, args: &[(&str, FluentValue<'_>)]| lib.i18n.get(chain, id, args);
    let Some((mission, phones)) = lib.consulates.card_contact(country) else {
        return top;
    };
    let width = WIDTH - 2.0 * MARGIN;
    svg.rect(MARGIN, top + 8.0, width, 4.0, BLUE, 0.0);
    let mut y = top + 36.0;
    let label = Ink {
        bold: true,
        fill: "#111111",
    };
    y = svg.text(MARGIN, y, width, 34.0, &[(&t("card-hotline", &[]), label)], Align::Left);
    let name = mission.name.get("ru").or_else(|| mission.name.values().next());
    if let Some(name) = name {
        y = svg.text(MARGIN, y + 4.0, width, 32.0, &[(name, INK)], Align::Left);
    }
    let big = Ink {
        bold: true,
        fill: "#000000",
    };
    for phone in phones.iter().take(2) {
        y = svg.text(MARGIN, y + 6.0, width, 60.0, &[(phone, big)], Align::Left);
    }
    let (status, fill) = match mission.verified {
        Some(d) => (
            format!("✓ {}", t("contact-verified", &[("date", doc::short_date(d).into())])),
            "#1b5e20",
        ),
        None if mission.confidence == Confidence::Low => (format!("⚠ {}", t("contact-unverified-low", &[])), "#8a3b00"),
        None => (format!("⚠ {}", t("contact-unverified", &[])), "#8a3b00"),
    };
    let ink = Ink { bold: false, fill };
    svg.text(MARGIN, y + 10.0, width, 30.0, &[(&status, ink)], Align::Left) + 24.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn citations_are_the_parts_in_parentheses() {
        let runs = with_citations("Прошу переводчика (ч. 2 ст. 24.2 КоАП РФ). Дальше (ст. 51");
        let texts: Vec<&str> = runs.iter().map(|r| r.0).collect();
        assert_eq!(
            texts,
            vec!["Прошу переводчика ", "(ч. 2 ст. 24.2 КоАП РФ)", ". Дальше (ст. 51"]
        );
        assert_eq!(runs[1].1, CITE);
    }
}
