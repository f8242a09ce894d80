//! Fuzzes the segmenter: sentences are non-empty, in order, do not overlap, and their
//! byte and char offsets both give back their text.
#![no_main]

use claimdiff::segment::segment;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let sentences = segment(text);
    let chars: Vec<char> = text.chars().collect();
    let mut last_end = 0;
    for s in &sentences {
        assert!(!s.text.is_empty());
        assert!(s.byte_start >= last_end, "sentences overlap or go backwards");
        assert_eq!(&text[s.byte_start..s.byte_end], s.text);
        assert_eq!(chars[s.start..s.end].iter().collect::<String>(), s.text);
        last_end = s.byte_end;
    }
});
