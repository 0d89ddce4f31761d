//! What must hold for the shipped content whatever the editors write: it loads without errors
//! (`check.rs`), every page reaches Telegram (the loader checks that), every place the consulate
//! finder knows can be found by each of its names, and the matcher keeps its thresholds
//! (`cli.rs`). Nothing here names an article's words or dates.

use crate::support::*;

/// The consulate finder knows every place in `content/regions.toml` by each of its names: a city
/// named in a sentence, in any of the languages it is written in, leads to its region (or to a
/// region with a longer name that also matches, such as «Нижний Новгород» over «Новгород»).
#[test]
fn every_city_and_region_is_found_by_its_names() {
    let snap = shipped();
    let consulates = &snap.lib().consulates;
    let mut checked = 0;
    for region in &consulates.regions {
        let cities = region.cities.iter().flat_map(|c| c.name.values());
        for name in region.name.values().chain(cities) {
            let found = consulates
                .find_region(&format!("консульство в {name} где"))
                .unwrap_or_else(|| panic!("«{name}» ({}) not found", region.id));
            let same = found.id == region.id;
            let longer = found
                .cities
                .iter()
                .flat_map(|c| c.name.values())
                .chain(found.name.values())
                .any(|n| n.len() > name.len() && n.contains(name.as_str()));
            assert!(same || longer, "«{name}» ({}) found as {}", region.id, found.id);
            checked += 1;
        }
    }
    assert!(checked > 500, "only {checked} names");
}

/// Every topic has its answer first in every language: a lead that is not empty.
#[test]
fn every_article_starts_with_its_answer() {
    for topic in &shipped().lib().topics {
        for (lang, article) in &topic.articles {
            assert!(!article.lead.is_empty(), "{} {lang}", topic.id);
        }
    }
}
