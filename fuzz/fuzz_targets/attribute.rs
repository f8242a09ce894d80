//! Fuzzes attribution extraction: every span lies inside the text and inside the
//! sentence it is reported for; and documents sharing one sentence cache (as the versions
//! of a story do) get exactly what each gets alone. The input is split into documents at
//! `|` lines.
#![no_main]

use claimdiff::attribute::{UnitCache, extract, extract_cached};
use claimdiff::segment::segment;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let mut shared = UnitCache::default();
    for doc in text.split("\n|\n").take(6) {
        let sentences = segment(doc);
        let n = doc.chars().count();
        let alone = extract(doc, &sentences);
        for a in &alone {
            assert!(a.sentence < sentences.len());
            let spans = a
                .source
                .iter()
                .chain(std::iter::once(&a.cue))
                .chain(a.content.iter());
            for s in spans {
                assert!(s.start <= s.end && s.end <= n, "span outside the text");
            }
        }
        assert_eq!(
            extract_cached(doc, &sentences, &mut shared),
            alone,
            "cache changed the result"
        );
    }
});
