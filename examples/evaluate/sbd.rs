//! Sentence boundaries: the English Golden Rules (48 edge cases; a case passes when the
//! stripped segments equal the expected list exactly) and GUM news (Wikinews articles;
//! boundary = a sentence's end offset in chars, scored over internal boundaries, i.e.
//! without each document's final end, as the reference pySBD counts in the data README).

use std::collections::BTreeSet;
use std::path::Path;

use claimdiff::segment::segment;

use crate::{Row, read_jsonl};

pub fn run(data: &Path) -> Result<Vec<Row>, String> {
    let rules = read_jsonl(&data.join("sbd-golden-rules-en/golden_rules_en.jsonl"))?;
    let mut passed = 0;
    let mut failed = Vec::new();
    for case in &rules {
        let text = case["text"].as_str().unwrap_or_default();
        let expected: Vec<&str> = case["expected"]
            .as_array()
            .map(|a| a.iter().filter_map(|v| v.as_str()).map(str::trim).collect())
            .unwrap_or_default();
        let got: Vec<String> = segment(text).into_iter().map(|s| s.text).collect();
        if got == expected {
            passed += 1;
        } else {
            failed.push(case["id"].to_string());
        }
    }
    let docs = read_jsonl(&data.join("gum-news-sbd/gum_news_sbd.jsonl"))?;
    let (mut tp, mut fp, mut fn_) = (0usize, 0usize, 0usize);
    let (mut itp, mut ifp, mut ifn) = (0usize, 0usize, 0usize);
    for d in &docs {
        let text = d["text"].as_str().unwrap_or_default();
        let total = text.chars().count();
        let gold: BTreeSet<usize> = d["sentences"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|s| s[1].as_u64())
                    .map(|e| e as usize)
                    .collect()
            })
            .unwrap_or_default();
        let last_gold = gold.iter().max().copied().unwrap_or(total);
        let gold: BTreeSet<usize> = gold.into_iter().filter(|&e| e != last_gold).collect();
        let ours: Vec<usize> = segment(text).iter().map(|s| s.end).collect();
        let last_ours = ours.iter().max().copied().unwrap_or(total);
        let ours: BTreeSet<usize> = ours.into_iter().filter(|&e| e != last_ours).collect();
        let chars: Vec<char> = text.chars().collect();
        // A boundary inside a paragraph is one not followed by the paragraph break.
        let intra = |e: usize| {
            !chars[e..]
                .iter()
                .take_while(|c| c.is_whitespace())
                .any(|&c| c == '\n')
        };
        tp += gold.intersection(&ours).count();
        fp += ours.difference(&gold).count();
        fn_ += gold.difference(&ours).count();
        itp += gold.intersection(&ours).filter(|&&e| intra(e)).count();
        ifp += ours.difference(&gold).filter(|&&e| intra(e)).count();
        ifn += gold.difference(&ours).filter(|&&e| intra(e)).count();
    }
    let prf = |tp: usize, fp: usize, fn_: usize| {
        let p = tp as f64 / (tp + fp).max(1) as f64;
        let r = tp as f64 / (tp + fn_).max(1) as f64;
        let f = if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        };
        format!("P {p:.3} / R {r:.3} / F1 **{f:.3}** (tp {tp}, fp {fp}, fn {fn_})")
    };
    Ok(vec![
        Row::new(
            "sentences: English Golden Rules, exact segments",
            format!(
                "**{passed}/{}**{}",
                rules.len(),
                if failed.is_empty() {
                    String::new()
                } else {
                    format!(" (failing ids: {})", failed.join(", "))
                }
            ),
            "pySBD 47/48 (Sadvilkar & Neumann 2020)",
        ),
        Row::new(
            "sentences: GUM news (22 Wikinews docs), all internal boundaries",
            prf(tp, fp, fn_),
            "pySBD 0.3.4 F1 .953 (P .985 / R .922; measured in the data README)",
        ),
        Row::new(
            "sentences: GUM news, boundaries inside paragraphs",
            prf(itp, ifp, ifn),
            "pySBD 0.3.4 F1 .916",
        ),
    ])
}
