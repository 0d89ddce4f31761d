//! Finding the home country and the Russian region a text names, for the consulate finder.
//!
//! Every country, region and city name (in every language, with its aliases) is folded once,
//! when the content is loaded, and the region names are grouped by their first letter: a typed
//! message is compared only with the names that start like one of its words (folding the
//! 2,400-odd names for every message was once the largest share of the bot's CPU).

use rustc_hash::FxHashMap as HashMap;

use super::{CountryInfo, Region};
use crate::search::normalize;

/// One name of a region or of one of its cities.
#[derive(Debug)]
struct PlaceName {
    /// Index in `Consulates::regions`.
    region: usize,
    tokens: Vec<String>,
    /// The tokens' lengths in characters.
    chars: Vec<usize>,
    /// The tokens' lengths in bytes, summed: a longer name is a better match.
    len: usize,
}

/// The folded place names of the finder's countries and regions.
#[derive(Debug, Default)]
pub(super) struct Places {
    /// (index in `Consulates::countries`, a name's tokens), in the order of the content.
    countries: Vec<(usize, Vec<String>)>,
    /// The region's aliases and names, then its cities', region by region, in the order of the
    /// content.
    regions: Vec<PlaceName>,
    /// Indices into `regions` by the first letter of the name's first token.
    region_starts: HashMap<char, Vec<u32>>,
}

impl Places {
    pub(super) fn build(countries: &[CountryInfo], regions: &[Region]) -> Places {
        let mut places = Places::default();
        for (i, c) in countries.iter().enumerate() {
            for name in c.aliases.iter().chain(c.name.values()) {
                places.countries.push((i, normalize::tokens(name)));
            }
        }
        for (i, region) in regions.iter().enumerate() {
            let city_names = region
                .cities
                .iter()
                .flat_map(|c| c.aliases.iter().chain(c.name.values()));
            for name in region.aliases.iter().chain(region.name.values()).chain(city_names) {
                let tokens = normalize::tokens(name);
                let Some(first) = tokens.first().and_then(|t| t.chars().next()) else {
                    continue;
                };
                places
                    .region_starts
                    .entry(first)
                    .or_default()
                    .push(places.regions.len() as u32);
                places.regions.push(PlaceName {
                    region: i,
                    chars: tokens.iter().map(|t| t.chars().count()).collect(),
                    len: tokens.iter().map(String::len).sum(),
                    tokens,
                });
            }
        }
        places
    }

    /// The country the tokens name (its index), the longest name winning, and which tokens
    /// belong to a country name (so that «Кыргызстан» is not read as a city).
    pub(super) fn country(&self, tokens: &[String]) -> (Option<usize>, Vec<bool>) {
        let mut taken = vec![false; tokens.len()];
        let mut best: Option<(usize, usize)> = None;
        for (country, name) in &self.countries {
            if let Some((start, len)) = find_country_name(tokens, name) {
                for t in taken.iter_mut().skip(start).take(name.len()) {
                    *t = true;
                }
                if best.is_none_or(|(l, _)| len > l) {
                    best = Some((len, *country));
                }
            }
        }
        (best.map(|(_, c)| c), taken)
    }

    /// The region the tokens name by a city, a region name or an alias (its index), the longest
    /// name winning and the first in the content among equals.
    pub(super) fn region(&self, tokens: &[String]) -> Option<usize> {
        let (_, taken) = self.country(tokens);
        let typed_chars: Vec<usize> = tokens.iter().map(|t| t.chars().count()).collect();
        // (matched length, name index): the longest, then the first in the content.
        let mut best: Option<(usize, u32)> = None;
        for start in 0..tokens.len() {
            // Every rule of `place_token_matches` needs the same first letter.
            let Some(first) = tokens[start].chars().next() else {
                continue;
            };
            for &i in self.region_starts.get(&first).map(Vec::as_slice).unwrap_or_default() {
                let name = &self.regions[i as usize];
                let Some(typed) = tokens.get(start..start + name.tokens.len()) else {
                    continue;
                };
                let found = typed.iter().enumerate().all(|(k, t)| {
                    !taken[start + k] && place_token_matches(&name.tokens[k], name.chars[k], t, typed_chars[start + k])
                });
                if found && best.is_none_or(|(l, j)| name.len > l || (name.len == l && i < j)) {
                    best = Some((name.len, i));
                }
            }
        }
        best.map(|(_, i)| self.regions[i as usize].region)
    }
}

/// Whether a typed token is a form of a name token: equal for short names, otherwise the same
/// start with room for case endings («Казани», «Qozonda», «Екатеринбурге»). Every rule needs the
/// same first letter, which `Places::region` relies on.
fn place_token_matches(name: &str, n: usize, typed: &str, t: usize) -> bool {
    let common = name.chars().zip(typed.chars()).take_while(|(a, b)| a == b).count();
    match n {
        0 => false,
        // «Уфа», «в Уфе», «Ufada».
        1..=3 => typed == name || (common == n && t <= n + 4) || (n == 3 && t == 3 && common == 2),
        // «Казань», «Казани», «Qozonda»; but «казах» is not «Казань».
        4..=5 => common == n && t <= n + 5,
        // «Москва», «в Москве»: the last letter may change.
        _ => common + 1 >= n && t <= n + 5,
    }
}

/// Where in `tokens` a country name occurs, each of its tokens starting a typed word in a row
/// («узбекистана», «qirgʻiz»), as (start, matched length).
fn find_country_name(tokens: &[String], name: &[String]) -> Option<(usize, usize)> {
    if name.is_empty() || name.len() > tokens.len() {
        return None;
    }
    (0..=tokens.len() - name.len()).find_map(|start| {
        let ok = name
            .iter()
            .zip(&tokens[start..])
            .all(|(n, t)| t.starts_with(n.as_str()));
        ok.then(|| (start, name.iter().map(String::len).sum()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(name: &str, typed: &str) -> bool {
        place_token_matches(name, name.chars().count(), typed, typed.chars().count())
    }

    #[test]
    fn every_place_rule_needs_the_same_first_letter() {
        for (name, typed) in [("ufa", "ufe"), ("kazan", "kazani"), ("moskva", "moskve"), ("ab", "ab")] {
            assert!(matches(name, typed), "{name} {typed}");
        }
        for name in ["u", "uf", "ufa", "kazan", "moskva", "ekaterinburg"] {
            for typed in ["a", "xufa", "vkazani", "moskva", "ekaterinburge", "oskva"] {
                if matches(name, typed) {
                    assert_eq!(name.chars().next(), typed.chars().next(), "{name} {typed}");
                }
            }
        }
    }
}
