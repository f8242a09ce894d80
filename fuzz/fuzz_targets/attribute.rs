//! Fuzzes attribution extraction: every span lies inside the text and inside the
//! sentence it is reported for.
#![no_main]

use claimdiff::attribute::extract;
use claimdiff::segment::segment;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let sentences = segment(text);
    let n = text.chars().count();
    for a in extract(text, &sentences) {
        assert!(a.sentence < sentences.len());
        let spans = a.source.iter().chain(std::iter::once(&a.cue)).chain(a.content.iter());
        for s in spans {
            assert!(s.start <= s.end && s.end <= n, "span outside the text");
        }
    }
});
