//! Fuzzes the Text loader: any bytes give documents or an error, never a panic, and every
//! document has text and sentence ranges inside it.
#![no_main]

use claimdiff::load::{Format, load_bytes};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(docs) = load_bytes("fuzz", "fuzz", data, Format::Text) {
        for d in docs {
            assert!(!d.text.trim().is_empty());
            for &(s, e) in d.given_sentences.iter().flatten() {
                assert!(s <= e && e <= d.text.len());
                assert!(d.text.is_char_boundary(s) && d.text.is_char_boundary(e));
            }
        }
    }
});
