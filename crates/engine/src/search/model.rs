//! A model trained from the editors' example messages: a linear classifier (multinomial logistic
//! regression) over the words, word pairs and letter groups of the folded text, the way
//! fastText-style classifiers read short, misspelled messages. Trained at every content load, in
//! memory, deterministically (the same examples give the same model); about 5,000 examples train
//! in well under a second.
//!
//! Why this and not only keywords: keyword lists had to be tuned by hand for every new way of
//! saying a thing; examples are what editors can write and what the question log gives them, and
//! letter groups carry the meaning of a word across its endings, typos and scripts.

use rustc_hash::FxHashMap as HashMap;

use super::normalize;

/// Passes over the examples while training.
const EPOCHS: usize = 10;
/// The first pass's step; later passes take smaller ones (`RATE / (1 + pass / 2)`).
const RATE: f32 = 2.0;
/// Weight decay per step: keeps single rare letter groups from deciding alone.
const L2: f32 = 1e-5;
/// A class whose gradient is smaller than this for an example is not updated for it: after the
/// first passes most classes are far from most examples, and skipping them is most of the speed.
const TINY: f32 = 1e-3;
/// Letter groups of these lengths, of each word padded with `<` and `>`.
const GRAMS: std::ops::RangeInclusive<usize> = 3..=5;

/// One feature of a text, with a readable name for `--explain`.
fn features(folded: &str, mut each: impl FnMut(&str)) {
    let tokens: Vec<&str> = folded.split(' ').filter(|t| !t.is_empty()).collect();
    let mut buf = String::new();
    for (i, t) in tokens.iter().enumerate() {
        buf.clear();
        buf.push_str("w:");
        buf.push_str(t);
        each(&buf);
        if let Some(next) = tokens.get(i + 1) {
            buf.clear();
            buf.push_str("b:");
            buf.push_str(t);
            buf.push('_');
            buf.push_str(next);
            each(&buf);
        }
        let padded: Vec<char> = std::iter::once('<')
            .chain(t.chars())
            .chain(std::iter::once('>'))
            .collect();
        for n in GRAMS {
            if padded.len() < n {
                break;
            }
            for w in padded.windows(n) {
                buf.clear();
                buf.push_str("c:");
                buf.extend(w);
                each(&buf);
            }
        }
    }
}

/// A text as the model sees it: feature ids and one shared value (1/√n, so that long and short
/// texts weigh alike).
#[derive(Debug, Clone, Default)]
struct Sparse {
    ids: Vec<u32>,
    value: f32,
}

/// The trained model: per feature, a weight per class.
#[derive(Debug, Default)]
pub struct Model {
    classes: Vec<String>,
    /// Feature name -> row in `weights`. Only features seen in training have a row.
    vocab: HashMap<String, u32>,
    /// Row-major: `weights[f * classes + c]`.
    weights: Vec<f32>,
    bias: Vec<f32>,
    /// The training examples (class, text), for `--explain`'s nearest examples.
    examples: Vec<(usize, String)>,
}

/// One class's share of a prediction.
#[derive(Debug, Clone, PartialEq)]
pub struct Prediction {
    pub class: String,
    pub probability: f64,
}

/// Why the model chose a class: its heaviest features in the text, and the most similar examples.
#[derive(Debug, Clone, PartialEq)]
pub struct Why {
    pub features: Vec<(String, f64)>,
    pub examples: Vec<String>,
}

fn softmax(z: &mut [f32]) {
    let max = z.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let mut sum = 0.0;
    for v in z.iter_mut() {
        *v = (*v - max).exp();
        sum += *v;
    }
    for v in z.iter_mut() {
        *v /= sum;
    }
}

impl Model {
    /// Trains on `(class, text)` pairs; `classes` names the classes by index.
    pub fn train(classes: Vec<String>, examples: Vec<(usize, String)>) -> Model {
        let nc = classes.len();
        let mut vocab: HashMap<String, u32> = HashMap::default();
        let data: Vec<(usize, Sparse)> = examples
            .iter()
            .map(|(c, text)| {
                let mut ids = Vec::new();
                features(&normalize::fold(text), |f| {
                    let id = match vocab.get(f) {
                        Some(&id) => id,
                        None => {
                            let id = vocab.len() as u32;
                            vocab.insert(f.to_string(), id);
                            id
                        }
                    };
                    ids.push(id);
                });
                ids.sort_unstable();
                ids.dedup();
                let value = 1.0 / (ids.len().max(1) as f32).sqrt();
                (*c, Sparse { ids, value })
            })
            .collect();
        let mut weights = vec![0f32; vocab.len() * nc];
        let mut bias = vec![0f32; nc];
        let mut order: Vec<usize> = (0..data.len()).collect();
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut z = vec![0f32; nc];
        for pass in 0..EPOCHS {
            let rate = RATE / (1.0 + pass as f32 / 2.0);
            // A fixed shuffle per pass: deterministic, and not in file order.
            for i in (1..order.len()).rev() {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                order.swap(i, (seed % (i as u64 + 1)) as usize);
            }
            for &i in &order {
                let (class, x) = &data[i];
                z.copy_from_slice(&bias);
                for &f in &x.ids {
                    let row = &weights[f as usize * nc..(f as usize + 1) * nc];
                    for (zc, w) in z.iter_mut().zip(row) {
                        *zc += w * x.value;
                    }
                }
                softmax(&mut z);
                z[*class] -= 1.0;
                for c in (0..nc).filter(|&c| z[c].abs() >= TINY) {
                    let step = rate * z[c] * x.value;
                    for &f in &x.ids {
                        let w = &mut weights[f as usize * nc + c];
                        *w -= step + rate * L2 * *w;
                    }
                    bias[c] -= rate * z[c] * 0.1;
                }
            }
        }
        Model {
            classes,
            vocab,
            weights,
            bias,
            examples,
        }
    }

    pub fn classes(&self) -> &[String] {
        &self.classes
    }

    fn sparse(&self, folded: &str) -> Sparse {
        let mut ids = Vec::new();
        let mut total = 0usize;
        features(folded, |f| {
            total += 1;
            if let Some(&id) = self.vocab.get(f) {
                ids.push(id);
            }
        });
        ids.sort_unstable();
        ids.dedup();
        // Normalised by every feature of the text, known or not: a message of unknown words is
        // not made confident by its one known word.
        Sparse {
            value: 1.0 / (total.max(1) as f32).sqrt(),
            ids,
        }
    }

    /// The probability of each class for an already folded text, in class order.
    pub fn probabilities(&self, folded: &str) -> Vec<f64> {
        let nc = self.classes.len();
        if nc == 0 {
            return Vec::new();
        }
        let x = self.sparse(folded);
        let mut z = self.bias.clone();
        for &f in &x.ids {
            let row = &self.weights[f as usize * nc..(f as usize + 1) * nc];
            for (zc, w) in z.iter_mut().zip(row) {
                *zc += w * x.value;
            }
        }
        softmax(&mut z);
        z.into_iter().map(f64::from).collect()
    }

    /// The classes, most probable first.
    pub fn predict(&self, folded: &str) -> Vec<Prediction> {
        let mut out: Vec<Prediction> = self
            .classes
            .iter()
            .zip(self.probabilities(folded))
            .map(|(c, p)| Prediction {
                class: c.clone(),
                probability: p,
            })
            .collect();
        out.sort_by(|a, b| {
            b.probability
                .total_cmp(&a.probability)
                .then_with(|| a.class.cmp(&b.class))
        });
        out
    }

    /// What pulled a text towards `class`: the features with the largest weight for it (against
    /// the other classes' average), and the class's examples that share the most features.
    pub fn why(&self, folded: &str, class: &str, top: usize) -> Why {
        let Some(c) = self.classes.iter().position(|k| k == class) else {
            return Why {
                features: Vec::new(),
                examples: Vec::new(),
            };
        };
        let nc = self.classes.len();
        let mut feats: Vec<(String, f64)> = Vec::new();
        let mut mine: Vec<String> = Vec::new();
        features(folded, |f| {
            if let Some(&id) = self.vocab.get(f) {
                let row = &self.weights[id as usize * nc..(id as usize + 1) * nc];
                let others = (row.iter().sum::<f32>() - row[c]) / (nc.max(2) - 1) as f32;
                let w = f64::from(row[c] - others);
                if !feats.iter().any(|(n, _)| n == f) {
                    feats.push((f.to_string(), w));
                }
            }
            mine.push(f.to_string());
        });
        feats.sort_by(|a, b| b.1.total_cmp(&a.1));
        feats.truncate(top);
        mine.sort_unstable();
        mine.dedup();
        let mut near: Vec<(usize, &str)> = self
            .examples
            .iter()
            .filter(|(k, _)| *k == c)
            .map(|(_, text)| {
                let mut shared = 0;
                features(&normalize::fold(text), |f| {
                    if mine.binary_search_by(|m| m.as_str().cmp(f)).is_ok() {
                        shared += 1;
                    }
                });
                (shared, text.as_str())
            })
            .collect();
        near.sort_by_key(|n| std::cmp::Reverse(n.0));
        Why {
            features: feats,
            examples: near.into_iter().take(3).map(|(_, t)| t.to_string()).collect(),
        }
    }

    /// Rows and weights held, for the figures.
    pub fn size(&self) -> (usize, usize) {
        (self.vocab.len(), self.weights.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toy() -> Model {
        let classes = vec!["detention".to_string(), "register".to_string(), "greeting".to_string()];
        let ex = |c: usize, t: &str| (c, t.to_string());
        Model::train(
            classes,
            vec![
                ex(0, "сколько часов могут держать в полиции"),
                ex(0, "nechi soat ushlab turishadi"),
                ex(0, "48 часов держат без суда"),
                ex(1, "как проверить себя в реестре"),
                ex(1, "reestrda bormanmi"),
                ex(1, "реестр контролируемых лиц проверка"),
                ex(2, "салом"),
                ex(2, "привет"),
                ex(2, "assalomu alaykum"),
            ],
        )
    }

    #[test]
    fn learns_from_examples_and_reads_past_typos_and_endings() {
        let m = toy();
        assert_eq!(
            m.predict(&normalize::fold("скока часов держут")).first().unwrap().class,
            "detention"
        );
        assert_eq!(
            m.predict(&normalize::fold("реестре проверить")).first().unwrap().class,
            "register"
        );
        assert_eq!(
            m.predict(&normalize::fold("Assalomu alaykum!")).first().unwrap().class,
            "greeting"
        );
        let p: f64 = m.probabilities("x").iter().sum();
        assert!((p - 1.0).abs() < 1e-6);
    }

    #[test]
    fn training_is_deterministic() {
        let (a, b) = (toy(), toy());
        assert_eq!(a.weights, b.weights);
    }

    #[test]
    fn explains_with_words_and_examples() {
        let m = toy();
        let why = m.why(&normalize::fold("reestrda bormanmi"), "register", 5);
        assert_eq!(why.examples.first().map(String::as_str), Some("reestrda bormanmi"));
        // What pulls it is in the text, and pulls towards the register.
        assert!(
            !why.features.is_empty() && why.features.iter().all(|(_, w)| *w > 0.0),
            "{why:?}"
        );
        assert!(why.features.iter().any(|(f, _)| f.contains("est")), "{why:?}");
    }
}
