//! Fuzzes alignment and comparison: the input is split into versions at `|` lines; every
//! sentence of every version lands in exactly one claim.
#![no_main]

use claimdiff::compare::{CompareOptions, compare};
use claimdiff::load::{Document, Metadata};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let parts: Vec<&str> = text.split("\n|\n").filter(|p| !p.trim().is_empty()).collect();
    if parts.len() < 2 || parts.len() > 8 {
        return;
    }
    let docs: Vec<Document> = parts
        .iter()
        .enumerate()
        .map(|(i, p)| Document {
            id: format!("v{i}"),
            source: format!("v{i}"),
            origin: format!("v{i}"),
            meta: Metadata::default(),
            text: p.to_string(),
            given_sentences: None,
        })
        .collect();
    let Ok(cmp) = compare(docs, &CompareOptions::default()) else {
        return;
    };
    for (v, version) in cmp.versions.iter().enumerate() {
        let mut seen = vec![0usize; version.sentences.len()];
        for c in &cmp.claims {
            for &i in &c.members[v].sentences {
                seen[i] += 1;
            }
        }
        assert!(seen.iter().all(|&n| n == 1), "version {v}: {seen:?}");
    }
});
