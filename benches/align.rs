//! Criterion benches of the library on generated wire-style stories (see
//! `common/mod.rs`): `align_pair` on pre-split sentences of two versions, `compare` on
//! whole documents (segment, align, compare), and a five-version story of the size a
//! newsroom compares every day. Run: `cargo bench --bench align`. The 20k cases match the
//! largest size of the race (`bench/race.py`) and take about a minute of the run.

mod common;

use std::hint::black_box;
use std::time::Duration;

use claimdiff::align::{AlignOptions, align_pair};
use claimdiff::compare::{CompareOptions, compare};
use claimdiff::load::{Document, Metadata};
use criterion::{BatchSize, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

const SIZES: &[usize] = &[100, 1_000, 10_000, 20_000];

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

criterion_group!(
    benches,
    bench_align_pair,
    bench_compare,
    bench_five_versions
);
criterion_main!(benches);
