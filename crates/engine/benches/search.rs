//! How fast the matcher is on the shipped content: one question end to end (normalize, rank with
//! the keyword index and the model, decide), the consulate finder's place lookup, and building the
//! index with training the model. Targets: under 50 µs a question, under 300 ms to build and
//! train (on 2 cores). Run: `cargo bench -p huquq-engine --bench search`.

use std::hint::black_box;
use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion};
use huquq_engine::{CheckOptions, Index, Library};

fn library() -> Library {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let today = time::OffsetDateTime::now_utc().date();
    let loaded = huquq_engine::load(&root.join("content"), &root.join("locales"), CheckOptions::new(today))
        .expect("content readable");
    loaded.library.expect("the shipped content has no errors")
}

/// Questions like the ones people type, in the six forms of writing.
const QUESTIONS: &[&str] = &[
    "сколько часов меня могут держать в полиции без суда",
    "menya zaderjali v otdele ne dayut pozvonit chto delat",
    "reestrdan qanday chiqsam boladi hujjatlarim joyida",
    "реестрга тушганимни қаердан текширсам бўлади",
    "азыр кармап жатышат полиция машинага салып жатат",
    "консулгарии тоҷикистон дар Екатеринбург куҷост",
    "депортация болгон киши кайра Россияга кире алабы",
    "kurs dollara segodnya",
];

fn bench(c: &mut Criterion) {
    let lib = library();
    let index = Index::build(&lib);
    c.bench_function("answer one question (rank + decide)", |b| {
        let mut i = 0;
        b.iter(|| {
            let q = QUESTIONS[i % QUESTIONS.len()];
            i += 1;
            let ranking = index.rank(black_box(q));
            black_box(index.decide(&ranking))
        })
    });
    c.bench_function("find the region a question names (consulate finder)", |b| {
        let mut i = 0;
        b.iter(|| {
            let q = QUESTIONS[i % QUESTIONS.len()];
            i += 1;
            black_box(lib.consulates.find_region(black_box(q)))
        })
    });
    c.bench_function("detect the language of a question", |b| {
        b.iter(|| black_box(index.detect_language(black_box(QUESTIONS[2]))))
    });
    let mut slow = c.benchmark_group("load");
    slow.sample_size(10);
    slow.bench_function("build the index and train the model", |b| {
        b.iter(|| black_box(Index::build(black_box(&lib))))
    });
    slow.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
