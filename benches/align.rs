//! Criterion benches of the library on generated wire-style stories (see
//! `common/mod.rs`): `align_pair` on pre-split sentences of two versions, `compare` on
//! whole documents (segment, align, compare), a five-version story of the size a newsroom
//! compares every day, and `batch` over a thousand such stories read from a JSONL file
//! on two workers. Run: `cargo bench --bench align`. The 1k, 5k and 20k cases and the
//! thousand stories are the race's sizes (`bench/race.py`); the 20k cases take about a
//! minute of the run.

mod common;

use std::hint::black_box;
use std::time::Duration;

use claimdiff::align::{AlignOptions, align_pair};
use claimdiff::compare::{CompareOptions, compare};
use claimdiff::load::{Document, Metadata};
use criterion::{BatchSize, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

const SIZES: &[usize] = &[100, 1_000, 5_000, 10_000, 20_000];

fn sentences(paras: &[Vec<String>]) -> Vec<&str> {
    paras.iter().flatten().map(String::as_str).collect()
}

fn documents(versions: &[Vec<Vec<String>>]) -> Vec<Document> {
    versions
        .iter()
        .enumerate()
        .map(|(k, paras)| {
            let id = if k == 0 {
                "base".to_string()
            } else {
                format!("v{k}")
            };
            Document {
                source: id.clone(),
                origin: format!("{id}.txt"),
                id,
                meta: Metadata::default(),
                text: common::render(paras),
                given_sentences: None,
            }
        })
        .collect()
}

fn bench_align_pair(c: &mut Criterion) {
    let opts = AlignOptions::default();
    let mut group = c.benchmark_group("align_pair");
    for &n in SIZES {
        let v = common::versions(n as u64, n, 1);
        let (a, b) = (sentences(&v[0]), sentences(&v[1]));
        // Big inputs take whole seconds per run: few samples, a fixed time budget.
        group.sample_size(if n >= 10_000 { 10 } else { 20 });
        group.measurement_time(Duration::from_secs(if n >= 10_000 { 20 } else { 5 }));
        group.throughput(Throughput::Elements((a.len() + b.len()) as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), &(a, b), |bench, (a, b)| {
            bench.iter(|| align_pair(black_box(a), black_box(b), &opts));
        });
    }
    group.finish();
}

fn bench_compare(c: &mut Criterion) {
    let opts = CompareOptions::default();
    let mut group = c.benchmark_group("compare");
    for &n in SIZES {
        let docs = documents(&common::versions(n as u64, n, 1));
        group.sample_size(if n >= 10_000 { 10 } else { 20 });
        group.measurement_time(Duration::from_secs(if n >= 10_000 { 20 } else { 5 }));
        group.bench_with_input(BenchmarkId::from_parameter(n), &docs, |bench, docs| {
            bench.iter_batched(
                || docs.clone(),
                |docs| compare(docs, &opts).expect("generated stories compare"),
                BatchSize::LargeInput,
            );
        });
    }
    group.finish();
}

fn bench_five_versions(c: &mut Criterion) {
    let opts = CompareOptions::default();
    let docs = documents(&common::versions(40, 40, 4));
    let mut group = c.benchmark_group("compare_5_versions");
    group.sample_size(50);
    group.bench_function("40_sentences", |bench| {
        bench.iter_batched(
            || docs.clone(),
            |docs| compare(docs, &opts).expect("generated stories compare"),
            BatchSize::SmallInput,
        );
    });
    group.finish();
}

/// How many stories [`bench_batch`] compares: the race's batch.
const BATCH_STORIES: u64 = 1_000;

fn bench_batch(c: &mut Criterion) {
    use std::io::Write;

    use claimdiff::batch::{compare_story, run_ordered, stories};
    use claimdiff::load::LoadOptions;
    use claimdiff::report::ReportOptions;

    // The stories as `claimdiff batch` reads them: one version a line, with a story key.
    let mut file = tempfile::NamedTempFile::new().expect("a temporary file");
    for k in 0..BATCH_STORIES {
        for (v, doc) in documents(&common::versions(k, 40, 4))
            .into_iter()
            .enumerate()
        {
            let line = serde_json::json!({
                "story": format!("s{k}"),
                "id": format!("v{v}"),
                "source": doc.source,
                "text": doc.text,
            });
            writeln!(file, "{line}").expect("the temporary file takes the stories");
        }
    }
    let path = file.path().to_path_buf();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .expect("two workers");
    let (opts, report) = (CompareOptions::default(), ReportOptions::default());
    let mut group = c.benchmark_group("batch");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    group.throughput(Throughput::Elements(BATCH_STORIES));
    group.bench_function("1000_stories_2_workers", |bench| {
        bench.iter(|| {
            let input = stories(&path, &LoadOptions::default()).expect("the stories load");
            let mut bytes = 0;
            run_ordered(
                input,
                &pool,
                16,
                |story| compare_story(story, &opts, &report),
                |outcome| {
                    bytes += outcome.expect("generated stories compare").line.len();
                    Ok::<(), ()>(())
                },
            )
            .expect("the sink never fails");
            black_box(bytes)
        });
    });
    group.finish();
}

criterion_group!(
    benches,
    bench_align_pair,
    bench_compare,
    bench_five_versions,
    bench_batch
);
criterion_main!(benches);
