//! Experiment, not product: how far would a trained token tagger get on PolNeAR?
//!
//! An averaged structured perceptron (Collins 2002) over BIO tags for the three roles
//! (`O`, `B-S`, `I-S`, `B-C`, `I-C`, `B-X`, `I-X`: source, cue, content), decoded with
//! Viterbi over each paragraph (the word tokens of one line) under the BIO constraint (an
//! `I-r` follows `B-r` or `I-r`). Written by hand: integer weights, the averaging trick of
//! Daumé (w − u/c), feature strings hashed to 64 bits and interned, no ML crate.
//! Deterministic: articles in name order, a fixed-seed shuffle per epoch, integer
//! arithmetic while training.
//!
//! Stage 1 features of a word token: word, lower case, shape, prefixes and suffixes;
//! words, word bigrams, shapes, suffixes and the punctuation gaps around it at ±1/±2;
//! inside a quotation, distance to the nearest quote mark each side; our speech-verb
//! lexicon on the token and its neighbours, and the nearest lexicon verb in the sentence
//! (side, distance, base); position in the sentence and paragraph, sentence length; and
//! (stacking) the rule-based extractor's own roles for the token and its neighbours and
//! the nearest rule cue in the sentence and paragraph. Stage 2 adds features of stage 1's
//! tags (the token's and its neighbours', the nearest predicted cue, source and content),
//! trained on 5-fold jackknifed stage-1 tags so it sees tags as noisy as on unseen text.
//! Last, a decoding bias per role (added to both its tags) is tuned by coordinate ascent.
//!
//! Protocol: trained on `train` only. Epochs of both stages and the biases are chosen on
//! a held-out tenth of `train` (every tenth article in name order), by the mean of the
//! three token-overlap F1s; the final models are trained on all of `train` and scored
//! once on `dev` with the scorer of [`crate::polnear`]. The models live in memory for the
//! run and are never written anywhere (PolNeAR may not be republished, nor anything
//! learned from it shipped without the lead's decision).
//!
//! Exact-span figures take each run of one role's tags as one instance, so they cannot
//! match a gold content that runs over several paragraphs or is split around its cue.
//!
//! Run: `cargo run --release --example evaluate -- ../shared/data polnear-tagger` (about
//! two minutes on one core). `TAGGER_DROP=rules,lex` leaves feature groups out of both
//! stages; `TAGGER_ABLATE=1` first prints stage-1 tune scores with each group left out in
//! turn; `TAGGER_EPOCHS=n` fixes the epoch count of both stages; `TAGGER_DUMP=<dir>`
//! writes per-token gold and predicted tags (corpus text: keep it outside the repository).

use std::fmt::Write as _;
use std::hash::Hasher;
use std::path::Path;
use std::time::Instant;

use claimdiff::attribute::{Span, extract_text, lexicon, quotes};
use claimdiff::segment::segment;
use rustc_hash::{FxHashMap, FxHasher};

use crate::Row;
use crate::polnear::{Article, Scores, covered, load, score, score_roles, word_tokens};

/// Tags: `O`, then `B`/`I` for source, cue, content.
const NL: usize = 7;
const O: u8 = 0;

fn begin(role: usize) -> u8 {
    1 + 2 * role as u8
}

fn role_of(tag: u8) -> Option<usize> {
    (tag != O).then(|| (tag as usize - 1) / 2)
}

fn is_inside(tag: u8) -> bool {
    tag != O && tag.is_multiple_of(2)
}

/// Whether `cur` may follow `prev` (`None`: the first token of a paragraph).
fn allowed(prev: Option<u8>, cur: u8) -> bool {
    !is_inside(cur) || prev.is_some_and(|p| p != O && role_of(p) == role_of(cur))
}

/// Feature groups, for ablation.
const GROUPS: [&str; 6] = ["word", "context", "quote", "lex", "position", "rules"];
const G_WORD: u32 = 1;
const G_CTX: u32 = 2;
const G_QUOTE: u32 = 4;
const G_LEX: u32 = 8;
const G_POS: u32 = 16;
const G_RULES: u32 = 32;
/// The second stage's features of the first stage's tags.
const G_STACK: u32 = 64;

fn group_mask(names: &str) -> u32 {
    names
        .split(',')
        .filter_map(|n| GROUPS.iter().position(|g| *g == n.trim()))
        .fold(0, |m, k| m | (1 << k))
}

/// One paragraph: features per token (flattened), gold tags and token char spans.
#[derive(Default)]
struct Seq {
    feats: Vec<u32>,
    offs: Vec<u32>,
    gold: Vec<u8>,
    spans: Vec<(usize, usize)>,
    /// Lower-case words, for the second stage.
    words: Vec<String>,
    /// First and last token (in the paragraph) of each token's sentence.
    sent: Vec<(usize, usize)>,
}

impl Seq {
    fn len(&self) -> usize {
        self.gold.len()
    }
    fn feats(&self, i: usize) -> &[u32] {
        &self.feats[self.offs[i] as usize..self.offs[i + 1] as usize]
    }
}

struct Doc {
    seqs: Vec<Seq>,
}

/// Interns hashed feature strings to dense ids.
struct Features {
    ids: FxHashMap<u64, u32>,
    drop: u32,
    buf: String,
}

impl Features {
    fn add(&mut self, out: &mut Vec<u32>, group: u32, args: std::fmt::Arguments) {
        if self.drop & group != 0 {
            return;
        }
        self.buf.clear();
        let _ = self.buf.write_fmt(args);
        let mut h = FxHasher::default();
        h.write(self.buf.as_bytes());
        let n = self.ids.len() as u32;
        out.push(*self.ids.entry(h.finish()).or_insert(n));
    }
}

macro_rules! feat {
    ($fx:expr, $out:expr, $g:expr, $($arg:tt)*) => {
        $fx.add($out, $g, format_args!($($arg)*))
    };
}

fn bucket(d: usize) -> &'static str {
    match d {
        0 => "0",
        1 => "1",
        2 => "2",
        3 => "3",
        4..=5 => "4-5",
        6..=10 => "6-10",
        11..=20 => "11-20",
        _ => "20+",
    }
}

fn shape(w: &str) -> String {
    let mut s = String::new();
    for c in w.chars() {
        let k = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_numeric() {
            'd'
        } else {
            c
        };
        if !s.ends_with(k) {
            s.push(k);
        }
    }
    s
}

/// The punctuation between two tokens, whitespace as `_`, quote marks and dashes folded.
fn gap(chars: &[char], from: usize, to: usize) -> String {
    let mut s = String::new();
    for &c in &chars[from..to] {
        let k = match c {
            '“' | '”' | '"' | '„' | '«' | '»' => '"',
            '‘' | '’' => '\'',
            '—' | '–' => '-',
            '\n' => '|',
            c if c.is_whitespace() => '_',
            c => c,
        };
        if !(k == '_' && s.ends_with('_')) {
            s.push(k);
        }
        if s.chars().count() >= 5 {
            break;
        }
    }
    s
}

/// Side and distance (in tokens) of the nearest index in `marks` (sorted) to `i` within
/// `[lo, hi]`, strictly left and right.
fn nearest(marks: &[usize], i: usize, lo: usize, hi: usize) -> (Option<usize>, Option<usize>) {
    let k = marks.partition_point(|&m| m < i);
    let left = k
        .checked_sub(1)
        .map(|j| marks[j])
        .filter(|&m| m >= lo)
        .map(|m| i - m);
    let right = marks[k..]
        .iter()
        .find(|&&m| m > i)
        .filter(|&&m| m <= hi)
        .map(|m| m - i);
    (left, right)
}

/// Builds the paragraphs of one article with their features and gold tags.
fn featurize(art: &Article, fx: &mut Features) -> Doc {
    let chars: Vec<char> = art.text.chars().collect();
    let tokens = word_tokens(&chars);
    let n = tokens.len();
    let words: Vec<String> = tokens
        .iter()
        .map(|t| chars[t.0..t.1].iter().collect())
        .collect();
    let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
    // Gold tags: one role per token (cue over source over content: overlaps are a handful).
    let mut role: Vec<Option<usize>> = vec![None; n];
    let mut starts = vec![false; n];
    for g in &art.gold {
        for (r, spans) in [(2, &g.content), (0, &g.source), (1, &g.cue)] {
            for s in spans {
                let mut ks: Vec<usize> = covered(&tokens, &[*s]).into_iter().collect();
                ks.sort_unstable();
                if let Some(&first) = ks.first() {
                    starts[first] = true;
                }
                for k in ks {
                    role[k] = Some(r);
                }
            }
        }
    }
    // Paragraph breaks: a line break between two tokens.
    let line_break: Vec<bool> = (0..n)
        .map(|i| i == 0 || chars[tokens[i - 1].1..tokens[i].0].contains(&'\n'))
        .collect();
    let mut para_start = vec![0; n];
    let mut para_end = vec![0; n];
    for i in 0..n {
        para_start[i] = if line_break[i] { i } else { para_start[i - 1] };
    }
    for i in (0..n).rev() {
        para_end[i] = if i + 1 == n || line_break[i + 1] {
            i
        } else {
            para_end[i + 1]
        };
    }
    let gold: Vec<u8> = (0..n)
        .map(|i| match role[i] {
            None => O,
            Some(r) => {
                if starts[i] || line_break[i] || role[i - 1] != Some(r) {
                    begin(r)
                } else {
                    begin(r) + 1
                }
            }
        })
        .collect();
    // Sentences: index of each token's sentence, its first and last token.
    let sentences = segment(&art.text);
    let sent_of: Vec<usize> = tokens
        .iter()
        .map(|t| {
            sentences
                .partition_point(|s| s.start <= t.0)
                .saturating_sub(1)
        })
        .collect();
    let mut s_first = vec![0; n];
    let mut s_last = vec![0; n];
    for i in 0..n {
        s_first[i] = if i > 0 && sent_of[i - 1] == sent_of[i] && !line_break[i] {
            s_first[i - 1]
        } else {
            i
        };
    }
    for i in (0..n).rev() {
        s_last[i] = if i + 1 < n && sent_of[i + 1] == sent_of[i] && !line_break[i + 1] {
            s_last[i + 1]
        } else {
            i
        };
    }
    // Quotations.
    let regions = quotes::regions(&chars);
    let in_quote: Vec<bool> = tokens
        .iter()
        .map(|t| {
            let k = regions.partition_point(|r| r.start <= t.0);
            k > 0 && t.0 < regions[k - 1].end
        })
        .collect();
    // Quote marks as positions between tokens, in quarter-token units: token i sits at
    // 4i + 2, a mark before token k at 4k, or at 4k - 1 when a line break separates them
    // (so it stays in the paragraph it ends).
    let mut marks: Vec<usize> = Vec::new();
    let mut mark_open: Vec<bool> = Vec::new();
    let mut c = 0;
    while c < chars.len() {
        if let Some(len) = quotes::mark_at(&chars, c) {
            let k = tokens.partition_point(|t| t.0 < c);
            let next = tokens.get(k).map_or(chars.len(), |t| t.0);
            let broken = chars[c..next].contains(&'\n');
            marks.push(4 * k - usize::from(broken && k > 0));
            mark_open.push(
                chars
                    .get(c + len)
                    .is_some_and(|x| !x.is_whitespace() && !",.;:?!".contains(*x)),
            );
            c += len;
        } else {
            c += 1;
        }
    }
    // Lexicon verbs and the rule extractor's roles.
    let lex: Vec<Option<lexicon::Verb>> = lower.iter().map(|w| lexicon::lookup(w)).collect();
    let lex_pos: Vec<usize> = (0..n).filter(|&i| lex[i].is_some()).collect();
    let mut rule = vec![[false; 3]; n];
    let mut rule_begin = vec![[false; 3]; n];
    let mut rule_cues: Vec<usize> = Vec::new();
    for a in extract_text(&art.text) {
        let roles: [Vec<Span>; 3] = [a.source.into_iter().collect(), vec![a.cue], a.content];
        for (r, spans) in roles.iter().enumerate() {
            for s in spans {
                let ks = covered(&tokens, &[*s]);
                if let Some(&first) = ks.iter().min() {
                    rule_begin[first][r] = true;
                    if r == 1 {
                        rule_cues.push(first);
                    }
                }
                for k in ks {
                    rule[k][r] = true;
                }
            }
        }
    }
    rule_cues.sort_unstable();
    rule_cues.dedup();
    let rule_tag = |i: usize| -> String {
        let mut s = String::from("r");
        for (r, name) in ["S", "C", "X"].iter().enumerate() {
            if rule[i][r] {
                s.push_str(if rule_begin[i][r] { "B" } else { "I" });
                s.push_str(name);
            }
        }
        s
    };
    let rule_tags: Vec<String> = (0..n).map(rule_tag).collect();

    let mut seqs = Vec::new();
    let mut seq = Seq {
        offs: vec![0],
        ..Seq::default()
    };
    for i in 0..n {
        if line_break[i] && i > 0 {
            seqs.push(std::mem::replace(
                &mut seq,
                Seq {
                    offs: vec![0],
                    ..Seq::default()
                },
            ));
        }
        let out = &mut seq.feats;
        let (ps, pe) = (para_start[i], para_end[i]);
        let w = |j: isize| -> &str {
            let k = i as isize + j;
            if k < ps as isize {
                "<s>"
            } else if k > pe as isize {
                "</s>"
            } else {
                &lower[k as usize]
            }
        };
        let lw = &lower[i];
        feat!(fx, out, 0, "bias");
        // Word.
        feat!(fx, out, G_WORD, "w={}", words[i]);
        feat!(fx, out, G_WORD, "lw={lw}");
        feat!(fx, out, G_WORD, "sh={}", shape(&words[i]));
        let lc: Vec<char> = lw.chars().collect();
        for k in 1..=3.min(lc.len()) {
            feat!(
                fx,
                out,
                G_WORD,
                "p{k}={}",
                lc[..k].iter().collect::<String>()
            );
            feat!(
                fx,
                out,
                G_WORD,
                "s{k}={}",
                lc[lc.len() - k..].iter().collect::<String>()
            );
        }
        // Context.
        for j in [-2isize, -1, 1, 2] {
            feat!(fx, out, G_CTX, "w{j}={}", w(j));
        }
        feat!(fx, out, G_CTX, "w-1w={}|{lw}", w(-1));
        feat!(fx, out, G_CTX, "ww+1={lw}|{}", w(1));
        feat!(fx, out, G_CTX, "w-2w-1={}|{}", w(-2), w(-1));
        feat!(fx, out, G_CTX, "w+1w+2={}|{}", w(1), w(2));
        for j in [-1isize, 1] {
            let k = i as isize + j;
            if k >= ps as isize && k <= pe as isize {
                let k = k as usize;
                feat!(fx, out, G_CTX, "sh{j}={}", shape(&words[k]));
                let c: Vec<char> = lower[k].chars().collect();
                let s3: String = c[c.len().saturating_sub(3)..].iter().collect();
                feat!(fx, out, G_CTX, "s3{j}={s3}");
            }
        }
        let gap_before = if i > ps {
            gap(&chars, tokens[i - 1].1, tokens[i].0)
        } else {
            format!(
                "^{}",
                gap(&chars, tokens[i].0.saturating_sub(2), tokens[i].0)
            )
        };
        let gap_after = if i < pe {
            gap(&chars, tokens[i].1, tokens[i + 1].0)
        } else {
            format!(
                "{}$",
                gap(&chars, tokens[i].1, (tokens[i].1 + 3).min(chars.len()))
            )
        };
        feat!(fx, out, G_CTX, "gb={gap_before}");
        feat!(fx, out, G_CTX, "ga={gap_after}");
        feat!(fx, out, G_CTX, "gb|lw={gap_before}|{lw}");
        feat!(fx, out, G_CTX, "lw|ga={lw}|{gap_after}");
        // Quotation.
        let q = in_quote[i];
        feat!(fx, out, G_QUOTE, "inq={q}");
        let (ml, mr) = nearest(&marks, 4 * i + 2, 4 * ps, 4 * pe + 3);
        let mk = marks.partition_point(|&m| m < 4 * i + 2);
        let kind = |j: usize| if mark_open[j] { "open" } else { "close" };
        match ml {
            Some(d) => feat!(
                fx,
                out,
                G_QUOTE,
                "ql={}|{}",
                bucket(d / 4),
                kind(mk.saturating_sub(1))
            ),
            None => feat!(fx, out, G_QUOTE, "ql=none"),
        }
        match mr {
            Some(d) => feat!(fx, out, G_QUOTE, "qr={}|{}", bucket(d / 4), kind(mk)),
            None => feat!(fx, out, G_QUOTE, "qr=none"),
        }
        feat!(fx, out, G_QUOTE, "inq|lw={q}|{lw}");
        // Lexicon.
        let lexf = |k: isize| -> String {
            let j = i as isize + k;
            if j < ps as isize || j > pe as isize {
                return "-".into();
            }
            lex[j as usize].map_or("-".into(), |v| format!("{:?}", v.form))
        };
        if let Some(v) = lex[i] {
            feat!(fx, out, G_LEX, "lex={:?}", v.form);
            feat!(fx, out, G_LEX, "lexb={}", v.base);
            feat!(fx, out, G_LEX, "lexn={}", v.noun_like);
            feat!(fx, out, G_LEX, "lex|inq={q}");
        }
        for k in [-2isize, -1, 1, 2] {
            feat!(fx, out, G_LEX, "lex{k}={}", lexf(k));
        }
        let (vl, vr) = nearest(&lex_pos, i, s_first[i], s_last[i]);
        match vl {
            Some(d) => {
                let v = lex[i - d].map_or("", |v| v.base);
                feat!(fx, out, G_LEX, "vl={}", bucket(d));
                feat!(fx, out, G_LEX, "vlb={v}");
                feat!(fx, out, G_LEX, "vl|inq={}|{q}", bucket(d));
            }
            None => feat!(fx, out, G_LEX, "vl=none"),
        }
        match vr {
            Some(d) => {
                let v = lex[i + d].map_or("", |v| v.base);
                feat!(fx, out, G_LEX, "vr={}", bucket(d));
                feat!(fx, out, G_LEX, "vrb={v}");
                feat!(fx, out, G_LEX, "vr|inq={}|{q}", bucket(d));
            }
            None => feat!(fx, out, G_LEX, "vr=none"),
        }
        // Position.
        feat!(fx, out, G_POS, "sp={}", bucket(i - s_first[i]));
        feat!(fx, out, G_POS, "se={}", bucket(s_last[i] - i));
        feat!(fx, out, G_POS, "pp={}", bucket(i - ps));
        if i == s_first[i] {
            feat!(fx, out, G_POS, "sfirst|lw={lw}");
        }
        feat!(fx, out, G_POS, "slen={}", bucket(s_last[i] - s_first[i]));
        // Rules (stacking).
        let rt = &rule_tags[i];
        let rtj = |k: isize| -> &str {
            let j = i as isize + k;
            if j < ps as isize || j > pe as isize {
                "|"
            } else {
                &rule_tags[j as usize]
            }
        };
        feat!(fx, out, G_RULES, "rt={rt}");
        feat!(fx, out, G_RULES, "rt-1={}", rtj(-1));
        feat!(fx, out, G_RULES, "rt+1={}", rtj(1));
        feat!(fx, out, G_RULES, "rt3={}|{rt}|{}", rtj(-1), rtj(1));
        feat!(fx, out, G_RULES, "rt|lw={rt}|{lw}");
        feat!(fx, out, G_RULES, "rt|inq={rt}|{q}");
        let (sl, sr) = nearest(&rule_cues, i, s_first[i], s_last[i]);
        feat!(
            fx,
            out,
            G_RULES,
            "rsl|rsr={}|{}",
            sl.map_or("none", bucket),
            sr.map_or("none", bucket)
        );
        let (cl, cr) = nearest(&rule_cues, i, ps, pe);
        feat!(fx, out, G_RULES, "rcl={}", cl.map_or("none", bucket));
        feat!(fx, out, G_RULES, "rcr={}", cr.map_or("none", bucket));
        feat!(
            fx,
            out,
            G_RULES,
            "rcl|rcr|inq={}|{}|{q}",
            cl.is_some(),
            cr.is_some()
        );
        seq.offs.push(seq.feats.len() as u32);
        seq.gold.push(gold[i]);
        seq.spans.push(tokens[i]);
        seq.words.push(lower[i].clone());
        seq.sent.push((s_first[i] - ps, s_last[i] - ps));
    }
    if !seq.gold.is_empty() {
        seqs.push(seq);
    }
    Doc { seqs }
}

/// The perceptron: weights per (feature, tag), transitions per (previous tag or start,
/// tag), with the sums for averaging.
struct Model {
    w: Vec<i32>,
    u: Vec<i64>,
    tw: Vec<i32>,
    tu: Vec<i64>,
    c: i64,
}

/// Averaged weights for decoding.
struct Weights {
    w: Vec<f32>,
    t: Vec<f32>,
    /// Added to every token's score for a tag at decoding: a recall/precision knob per
    /// role, tuned on the held-out slice (zero from training).
    bias: [f32; NL],
}

impl Model {
    fn new(features: usize) -> Self {
        Model {
            w: vec![0; features * NL],
            u: vec![0; features * NL],
            tw: vec![0; (NL + 1) * NL],
            tu: vec![0; (NL + 1) * NL],
            c: 1,
        }
    }

    fn averaged(&self) -> Weights {
        let c = self.c as f64;
        let avg = |w: &[i32], u: &[i64]| -> Vec<f32> {
            w.iter()
                .zip(u)
                .map(|(&w, &u)| (w as f64 - u as f64 / c) as f32)
                .collect()
        };
        Weights {
            w: avg(&self.w, &self.u),
            t: avg(&self.tw, &self.tu),
            bias: [0.0; NL],
        }
    }

    fn bump(&mut self, feats: &[u32], tag: u8, d: i32) {
        let cd = self.c * d as i64;
        for &f in feats {
            let k = f as usize * NL + tag as usize;
            self.w[k] += d;
            self.u[k] += cd;
        }
    }

    fn bump_t(&mut self, prev: Option<u8>, tag: u8, d: i32) {
        let k = prev.map_or(0, |p| p as usize + 1) * NL + tag as usize;
        self.tw[k] += d;
        self.tu[k] += self.c * d as i64;
    }

    /// One pass of perceptron updates on one paragraph (weights read live: the current
    /// weights are what the perceptron decodes with while training).
    fn learn(&mut self, seq: &Seq) {
        let pred = {
            let w = LiveWeights {
                w: &self.w,
                t: &self.tw,
            };
            viterbi(seq, &w)
        };
        if pred != seq.gold {
            for i in 0..seq.len() {
                let (g, p) = (seq.gold[i], pred[i]);
                let (gp, pp) = if i == 0 {
                    (None, None)
                } else {
                    (Some(seq.gold[i - 1]), Some(pred[i - 1]))
                };
                if g != p {
                    self.bump(seq.feats(i), g, 1);
                    self.bump(seq.feats(i), p, -1);
                }
                if g != p || gp != pp {
                    self.bump_t(gp, g, 1);
                    self.bump_t(pp, p, -1);
                }
            }
        }
        self.c += 1;
    }
}

/// Read access to weights, live (integers) or averaged (floats).
trait Score {
    fn emit(&self, f: u32, tag: usize) -> f32;
    fn trans(&self, prev: Option<u8>, tag: usize) -> f32;
    fn bias(&self, _tag: usize) -> f32 {
        0.0
    }
}

struct LiveWeights<'a> {
    w: &'a [i32],
    t: &'a [i32],
}

impl Score for LiveWeights<'_> {
    fn emit(&self, f: u32, tag: usize) -> f32 {
        self.w[f as usize * NL + tag] as f32
    }
    fn trans(&self, prev: Option<u8>, tag: usize) -> f32 {
        self.t[prev.map_or(0, |p| p as usize + 1) * NL + tag] as f32
    }
}

impl Score for Weights {
    fn emit(&self, f: u32, tag: usize) -> f32 {
        self.w[f as usize * NL + tag]
    }
    fn trans(&self, prev: Option<u8>, tag: usize) -> f32 {
        self.t[prev.map_or(0, |p| p as usize + 1) * NL + tag]
    }
    fn bias(&self, tag: usize) -> f32 {
        self.bias[tag]
    }
}

/// Best tag sequence under the BIO constraint.
fn viterbi<W: Score>(seq: &Seq, w: &W) -> Vec<u8> {
    let n = seq.len();
    if n == 0 {
        return Vec::new();
    }
    let mut emit = vec![[0f32; NL]; n];
    for (i, e) in emit.iter_mut().enumerate() {
        for (t, x) in e.iter_mut().enumerate() {
            *x = w.bias(t);
        }
        for &f in seq.feats(i) {
            for (t, x) in e.iter_mut().enumerate() {
                *x += w.emit(f, t);
            }
        }
    }
    let mut best = vec![[f32::NEG_INFINITY; NL]; n];
    let mut back = vec![[0u8; NL]; n];
    for t in 0..NL {
        if allowed(None, t as u8) {
            best[0][t] = emit[0][t] + w.trans(None, t);
        }
    }
    for i in 1..n {
        let prev = best[i - 1];
        for t in 0..NL {
            let mut b = f32::NEG_INFINITY;
            let mut arg = 0u8;
            for (p, &bp) in prev.iter().enumerate() {
                if bp == f32::NEG_INFINITY || !allowed(Some(p as u8), t as u8) {
                    continue;
                }
                let s = bp + w.trans(Some(p as u8), t);
                if s > b {
                    b = s;
                    arg = p as u8;
                }
            }
            best[i][t] = b + emit[i][t];
            back[i][t] = arg;
        }
    }
    let mut tags = vec![0u8; n];
    let mut t = 0;
    for k in 1..NL {
        if best[n - 1][k] > best[n - 1][t] {
            t = k;
        }
    }
    tags[n - 1] = t as u8;
    for i in (1..n).rev() {
        tags[i - 1] = back[i][tags[i] as usize];
    }
    tags
}

/// A small fixed-seed generator (xorshift64*) for the epoch shuffles.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
    }
}

/// Predicted role instances of one article: one span per run of `B-r I-r ...`; with
/// `widen`, a content span takes in a quote mark right before it and, when a closing mark
/// follows it after punctuation only (`will,”`), that punctuation and mark: PolNeAR's
/// quoted contents carry their marks, its paraphrases no final stop.
fn spans_of(docs: &Doc, w: &Weights, chars: &[char], widen: bool) -> [Vec<Vec<Span>>; 3] {
    let mut out: [Vec<Vec<Span>>; 3] = Default::default();
    for seq in &docs.seqs {
        let tags = viterbi(seq, w);
        let mut i = 0;
        while i < tags.len() {
            let Some(r) = role_of(tags[i]) else {
                i += 1;
                continue;
            };
            let mut j = i + 1;
            while j < tags.len() && is_inside(tags[j]) && role_of(tags[j]) == Some(r) {
                j += 1;
            }
            let (mut s, mut e) = (seq.spans[i].0, seq.spans[j - 1].1);
            if widen && r == 2 {
                if s > 0 && quotes::mark_at(chars, s - 1).is_some() {
                    s -= 1;
                }
                let mut k = e;
                while k < chars.len() && ".,;:?!".contains(chars[k]) {
                    k += 1;
                }
                if k < chars.len()
                    && let Some(len) = quotes::mark_at(chars, k)
                {
                    e = k + len;
                }
            }
            out[r].push(vec![Span { start: s, end: e }]);
            i = j;
        }
    }
    out
}

fn evaluate(arts: &[&Article], docs: &[&Doc], w: &Weights, widen: bool) -> Scores {
    let mut sc = Scores::default();
    if let Some(dir) = std::env::var_os("TAGGER_DUMP") {
        dump(Path::new(&dir), arts, docs, w);
    }
    for (a, d) in arts.iter().zip(docs) {
        let chars: Vec<char> = a.text.chars().collect();
        let tokens = word_tokens(&chars);
        let pred = spans_of(d, w, &chars, widen);
        score_roles(&chars, &tokens, &a.gold, &pred, &mut sc);
    }
    sc
}

/// Writes `word gold predicted` per token, a blank line between paragraphs, one file per
/// article (set `TAGGER_DUMP=<dir>`, outside the repository: the files hold corpus text).
fn dump(dir: &Path, arts: &[&Article], docs: &[&Doc], w: &Weights) {
    const NAMES: [&str; NL] = ["O", "B-S", "I-S", "B-C", "I-C", "B-X", "I-X"];
    let _ = std::fs::create_dir_all(dir);
    for (a, d) in arts.iter().zip(docs) {
        let chars: Vec<char> = a.text.chars().collect();
        let mut out = String::new();
        for seq in &d.seqs {
            for (i, t) in viterbi(seq, w).into_iter().enumerate() {
                let (s, e) = seq.spans[i];
                let word: String = chars[s..e].iter().collect();
                let _ = writeln!(
                    out,
                    "{word}\t{}\t{}",
                    NAMES[seq.gold[i] as usize], NAMES[t as usize]
                );
            }
            out.push('\n');
        }
        let _ = std::fs::write(dir.join(format!("{}.tsv", a.name)), out);
    }
}

fn train(docs: &[&Doc], features: usize, epochs: usize, mut each: impl FnMut(usize, &Model)) {
    let mut model = Model::new(features);
    let seqs: Vec<&Seq> = docs.iter().flat_map(|d| d.seqs.iter()).collect();
    let mut order: Vec<usize> = (0..seqs.len()).collect();
    let mut rng = Rng(0x5eed_1234_abcd_ef01);
    for epoch in 1..=epochs {
        rng.shuffle(&mut order);
        for &k in &order {
            model.learn(seqs[k]);
        }
        each(epoch, &model);
    }
}

/// Averaged weights after `epochs`, sized for `features`.
fn fit(docs: &[&Doc], features: usize, epochs: usize) -> Weights {
    let mut out = None;
    train(docs, features, epochs, |e, m| {
        if e == epochs {
            out = Some(m.averaged());
        }
    });
    extend(out.expect("at least one epoch"), features)
}

/// Predicted tags per paragraph of each document.
fn tags_of(docs: &[&Doc], w: &Weights) -> Vec<Vec<Vec<u8>>> {
    docs.iter()
        .map(|d| d.seqs.iter().map(|s| viterbi(s, w)).collect())
        .collect()
}

/// First-stage tags for every training document from a model that did not see it
/// (`folds`-fold jackknife by document index), so the second stage learns from tags as
/// noisy as the ones it will get on unseen text.
fn jackknife(docs: &[&Doc], features: usize, epochs: usize, folds: usize) -> Vec<Vec<Vec<u8>>> {
    let mut out = vec![Vec::new(); docs.len()];
    for f in 0..folds {
        let part: Vec<&Doc> = (0..docs.len())
            .filter(|k| k % folds != f)
            .map(|k| docs[k])
            .collect();
        let w = fit(&part, features, epochs);
        for k in (0..docs.len()).filter(|k| k % folds == f) {
            out[k] = tags_of(&[docs[k]], &w).remove(0);
        }
    }
    out
}

/// The second stage's input: the first-stage features plus features of the first
/// stage's tags (the tag of the token and its neighbours, the nearest predicted cue,
/// source and content in the sentence, the nearest predicted cue in the paragraph).
fn augment(doc: &Doc, tags: &[Vec<u8>], fx: &mut Features) -> Doc {
    const NAMES: [&str; NL] = ["O", "B-S", "I-S", "B-C", "I-C", "B-X", "I-X"];
    let seqs = doc
        .seqs
        .iter()
        .zip(tags)
        .map(|(seq, t)| {
            let n = seq.len();
            let mut out = Seq {
                offs: vec![0],
                gold: seq.gold.clone(),
                spans: seq.spans.clone(),
                words: seq.words.clone(),
                sent: seq.sent.clone(),
                ..Seq::default()
            };
            let cues: Vec<usize> = (0..n).filter(|&i| t[i] == begin(1)).collect();
            let sources: Vec<usize> = (0..n).filter(|&i| role_of(t[i]) == Some(0)).collect();
            let contents: Vec<usize> = (0..n).filter(|&i| role_of(t[i]) == Some(2)).collect();
            for i in 0..n {
                let f = &mut out.feats;
                f.extend_from_slice(seq.feats(i));
                let tag = |k: isize| -> &str {
                    let j = i as isize + k;
                    if j < 0 {
                        "<s>"
                    } else if j >= n as isize {
                        "</s>"
                    } else {
                        NAMES[t[j as usize] as usize]
                    }
                };
                let (sf, sl) = seq.sent[i];
                let lw = &seq.words[i];
                let b = |d: Option<usize>| d.map_or("none", bucket);
                feat!(fx, f, G_STACK, "t0={}", tag(0));
                feat!(fx, f, G_STACK, "t-1={}", tag(-1));
                feat!(fx, f, G_STACK, "t+1={}", tag(1));
                feat!(fx, f, G_STACK, "t-2={}", tag(-2));
                feat!(fx, f, G_STACK, "t+2={}", tag(2));
                feat!(fx, f, G_STACK, "t3={}|{}|{}", tag(-1), tag(0), tag(1));
                feat!(fx, f, G_STACK, "t0|lw={}|{lw}", tag(0));
                let (cl, cr) = nearest(&cues, i, sf, sl);
                feat!(fx, f, G_STACK, "tcs={}|{}", b(cl), b(cr));
                feat!(
                    fx,
                    f,
                    G_STACK,
                    "tcs|t0={}|{}|{}",
                    cl.is_some(),
                    cr.is_some(),
                    tag(0)
                );
                let (pl, pr) = nearest(&cues, i, 0, n);
                feat!(fx, f, G_STACK, "tcp={}|{}", b(pl), b(pr));
                let (ol, or) = nearest(&sources, i, sf, sl);
                feat!(fx, f, G_STACK, "tss={}|{}", b(ol), b(or));
                let (xl, xr) = nearest(&contents, i, sf, sl);
                feat!(fx, f, G_STACK, "txs={}|{}", b(xl), b(xr));
                out.offs.push(out.feats.len() as u32);
            }
            out
        })
        .collect();
    Doc { seqs }
}

fn f1s(sc: &Scores) -> [f64; 3] {
    [sc.overlap[0].f1(), sc.overlap[1].f1(), sc.overlap[2].f1()]
}

fn mean(x: [f64; 3]) -> f64 {
    (x[0] + x[1] + x[2]) / 3.0
}

fn prf_line(sc: &Scores, exact: bool) -> String {
    let roles = ["source", "cue", "content"];
    (0..3)
        .map(|r| {
            let p = if exact { &sc.exact[r] } else { &sc.overlap[r] };
            format!(
                "{} P {:.3} / R {:.3} / F1 **{:.3}**",
                roles[r],
                p.p(),
                p.r(),
                p.f1()
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Featurizes all articles with the groups in `drop` left out.
fn featurize_all(arts: &[Article], drop: u32) -> (Vec<Doc>, Features) {
    let mut fx = Features {
        ids: FxHashMap::default(),
        drop,
        buf: String::new(),
    };
    let docs = arts.iter().map(|a| featurize(a, &mut fx)).collect();
    (docs, fx)
}

fn best(curve: &[(usize, Scores)]) -> &(usize, Scores) {
    curve
        .iter()
        .max_by(|a, b| mean(f1s(&a.1)).total_cmp(&mean(f1s(&b.1))))
        .expect("epochs")
}

fn print_curve(stage: &str, curve: &[(usize, Scores)]) {
    for (e, sc) in curve {
        let f = f1s(sc);
        eprintln!(
            "tagger tune {stage}: epoch {e}: overlap F1 {:.3} / {:.3} / {:.3} (mean {:.3})",
            f[0],
            f[1],
            f[2],
            mean(f)
        );
    }
}

/// Trains on `fit` for up to `epochs`, scoring `tune` after each epoch.
fn curve(
    fit: &[&Doc],
    tune: &[&Doc],
    tune_arts: &[&Article],
    features: usize,
    epochs: usize,
) -> Vec<(usize, Scores)> {
    let mut out = Vec::new();
    train(fit, features, epochs, |e, m| {
        out.push((e, evaluate(tune_arts, tune, &m.averaged(), false)));
    });
    out
}

/// Folds of the jackknife that gives the second stage its training tags.
const FOLDS: usize = 5;

/// The `polnear-tagger` part: tune on a tenth of train, train on train, score dev.
pub fn run(data: &Path) -> Result<Vec<Row>, String> {
    let dir = data.join("polnear");
    let train_arts = load(&dir.join("train"))?;
    let dev_arts = load(&dir.join("dev"))?;
    let dropped = std::env::var("TAGGER_DROP").map_or(0, |s| group_mask(&s));
    let fixed_epochs: Option<usize> = std::env::var("TAGGER_EPOCHS")
        .ok()
        .and_then(|s| s.parse().ok());
    let max_epochs = 30;
    let mut rows = Vec::new();
    let held = |k: usize| k % 10 == 9;

    // Rules alone, for the side-by-side.
    let rules_tune: Vec<Article> = train_arts
        .iter()
        .enumerate()
        .filter(|(k, _)| held(*k))
        .map(|(_, a)| Article {
            name: a.name.clone(),
            text: a.text.clone(),
            gold: a.gold.clone(),
        })
        .collect();
    let rules_tune = score(&rules_tune);
    let rules_dev = score(&dev_arts);
    rows.push(Row::new(
        "tagger experiment: rules alone, train tune slice, overlap",
        prf_line(&rules_tune, false),
        "-",
    ));

    let t0 = Instant::now();
    let (train_docs, mut fx) = featurize_all(&train_arts, dropped);
    let features = fx.ids.len();
    eprintln!(
        "tagger: {} train articles featurized, {features} features, {:.1} s",
        train_docs.len(),
        t0.elapsed().as_secs_f64()
    );
    let fit_idx: Vec<usize> = (0..train_docs.len()).filter(|&k| !held(k)).collect();
    let tune_idx: Vec<usize> = (0..train_docs.len()).filter(|&k| held(k)).collect();
    let tune_arts: Vec<&Article> = tune_idx.iter().map(|&k| &train_arts[k]).collect();

    if std::env::var_os("TAGGER_ABLATE").is_some() {
        for (g, name) in GROUPS.iter().enumerate() {
            let (docs, f) = featurize_all(&train_arts, dropped | (1 << g));
            let fit: Vec<&Doc> = fit_idx.iter().map(|&k| &docs[k]).collect();
            let tune: Vec<&Doc> = tune_idx.iter().map(|&k| &docs[k]).collect();
            let c = curve(&fit, &tune, &tune_arts, f.ids.len(), max_epochs);
            let (e, sc) = best(&c);
            let f = f1s(sc);
            eprintln!(
                "tagger ablation: stage 1 without {name}: best epoch {e}, tune overlap F1 {:.3} / {:.3} / {:.3} (mean {:.3})",
                f[0],
                f[1],
                f[2],
                mean(f)
            );
            rows.push(Row::new(
                &format!("tagger ablation (tune slice, stage 1): without {name}, epoch {e}"),
                prf_line(sc, false),
                "-",
            ));
        }
    }

    // Stage 1: epochs chosen on the held-out tenth of train.
    let t1 = Instant::now();
    let fit1: Vec<&Doc> = fit_idx.iter().map(|&k| &train_docs[k]).collect();
    let tune1: Vec<&Doc> = tune_idx.iter().map(|&k| &train_docs[k]).collect();
    let c1 = curve(&fit1, &tune1, &tune_arts, features, max_epochs);
    print_curve("stage 1", &c1);
    let (e1, sc1) = best(&c1);
    let e1 = fixed_epochs.unwrap_or(*e1);
    rows.push(Row::new(
        &format!("tagger experiment: stage 1, train tune slice, overlap (epoch {e1})"),
        prf_line(sc1, false),
        "-",
    ));
    // Stage 2 on the same split: jackknifed stage-1 tags on the fit part, tags of a
    // stage-1 model fitted on the whole fit part for the tune slice.
    let jk = jackknife(&fit1, features, e1, FOLDS);
    let w1 = fit(&fit1, features, e1);
    let tune_tags = tags_of(&tune1, &w1);
    let fit2: Vec<Doc> = fit1
        .iter()
        .zip(&jk)
        .map(|(d, t)| augment(d, t, &mut fx))
        .collect();
    let tune2: Vec<Doc> = tune1
        .iter()
        .zip(&tune_tags)
        .map(|(d, t)| augment(d, t, &mut fx))
        .collect();
    let c2 = curve(
        &fit2.iter().collect::<Vec<_>>(),
        &tune2.iter().collect::<Vec<_>>(),
        &tune_arts,
        fx.ids.len(),
        max_epochs,
    );
    print_curve("stage 2", &c2);
    let (e2, sc2) = best(&c2);
    let e2 = fixed_epochs.unwrap_or(*e2);
    rows.push(Row::new(
        &format!("tagger experiment: stage 2, train tune slice, overlap (epoch {e2})"),
        prf_line(sc2, false),
        "-",
    ));
    // Per-role decoding biases, by coordinate ascent on the tune slice.
    let mut w2 = fit(&fit2.iter().collect::<Vec<_>>(), fx.ids.len(), e2);
    let tune2_refs: Vec<&Doc> = tune2.iter().collect();
    let mut bias = [0f32; 3];
    let mut best_mean = mean(f1s(&evaluate(&tune_arts, &tune2_refs, &w2, false)));
    for _ in 0..2 {
        for role in [1, 0, 2] {
            for d in [-20f32, -10.0, -5.0, -2.0, -1.0, 1.0, 2.0, 5.0, 10.0, 20.0] {
                let mut b = bias;
                b[role] += d;
                set_bias(&mut w2, b);
                let m = mean(f1s(&evaluate(&tune_arts, &tune2_refs, &w2, false)));
                if m > best_mean + 1e-4 {
                    best_mean = m;
                    bias = b;
                }
            }
            set_bias(&mut w2, bias);
        }
    }
    let sc_b = evaluate(&tune_arts, &tune2_refs, &w2, false);
    eprintln!("tagger: decoding biases (source, cue, content) {bias:?}");
    rows.push(Row::new(
        &format!(
            "tagger experiment: stage 2 with decoding biases {bias:?}, train tune slice, overlap"
        ),
        prf_line(&sc_b, false),
        "-",
    ));
    drop(tune2_refs);
    drop((fit2, tune2, jk, w2));
    eprintln!(
        "tagger: tuning {:.1} s; epochs {e1} (stage 1), {e2} (stage 2)",
        t1.elapsed().as_secs_f64()
    );

    // Final: all of train, scored once on dev.
    let t2 = Instant::now();
    let all: Vec<&Doc> = train_docs.iter().collect();
    let w1 = fit(&all, features, e1);
    let stage1_secs = t2.elapsed().as_secs_f64();
    let jk = jackknife(&all, features, e1, FOLDS);
    let all2: Vec<Doc> = all
        .iter()
        .zip(&jk)
        .map(|(d, t)| augment(d, t, &mut fx))
        .collect();
    let w2 = fit(&all2.iter().collect::<Vec<_>>(), fx.ids.len(), e2);
    let train_secs = t2.elapsed().as_secs_f64();
    // Dev features: ids interned past the train ones have zero weight (never seen).
    let t3 = Instant::now();
    let dev_docs: Vec<Doc> = dev_arts.iter().map(|a| featurize(a, &mut fx)).collect();
    let dev_refs: Vec<&Article> = dev_arts.iter().collect();
    let dev1_refs: Vec<&Doc> = dev_docs.iter().collect();
    let w1 = extend(w1, fx.ids.len());
    let dev1 = evaluate(&dev_refs, &dev1_refs, &w1, false);
    let dev_tags = tags_of(&dev1_refs, &w1);
    let dev2_docs: Vec<Doc> = dev1_refs
        .iter()
        .zip(&dev_tags)
        .map(|(d, t)| augment(d, t, &mut fx))
        .collect();
    let dev2_refs: Vec<&Doc> = dev2_docs.iter().collect();
    let mut w2 = extend(w2, fx.ids.len());
    let dev2 = evaluate(&dev_refs, &dev2_refs, &w2, false);
    set_bias(&mut w2, bias);
    let dev2b = evaluate(&dev_refs, &dev2_refs, &w2, false);
    let dev2_wide = evaluate(&dev_refs, &dev2_refs, &w2, true);
    let dev_secs = t3.elapsed().as_secs_f64();
    eprintln!(
        "tagger: final training on all of train: stage 1 ({e1} epochs) {stage1_secs:.1} s; with the {FOLDS}-fold jackknife and stage 2 ({e2} epochs) {train_secs:.1} s in all; dev featurizing, tagging (both stages) and scoring {dev_secs:.2} s"
    );
    rows.push(Row::new(
        "tagger experiment: rules alone, dev, overlap",
        prf_line(&rules_dev, false),
        "goal: overlap F1 .85",
    ));
    rows.push(Row::new(
        &format!("tagger experiment: stage 1, dev, overlap ({e1} epochs)"),
        prf_line(&dev1, false),
        "goal: overlap F1 .85",
    ));
    rows.push(Row::new(
        &format!("tagger experiment: stage 2 (stacked on stage 1), dev, overlap ({e2} epochs)"),
        prf_line(&dev2, false),
        "goal: overlap F1 .85",
    ));
    rows.push(Row::new(
        &format!("tagger experiment: stage 2 with decoding biases {bias:?}, dev, overlap"),
        prf_line(&dev2b, false),
        "goal: overlap F1 .85",
    ));
    rows.push(Row::new(
        "tagger experiment: rules alone, dev, exact",
        prf_line(&rules_dev, true),
        "-",
    ));
    rows.push(Row::new(
        "tagger experiment: stage 1, dev, exact (token spans)",
        prf_line(&dev1, true),
        "-",
    ));
    rows.push(Row::new(
        "tagger experiment: stage 2 with biases, dev, exact (token spans)",
        prf_line(&dev2b, true),
        "-",
    ));
    rows.push(Row::new(
        "tagger experiment: stage 2 with biases, dev, exact (content widened to its quote marks)",
        prf_line(&dev2_wide, true),
        "-",
    ));
    rows.push(Row::new(
        "tagger experiment: Citron-style pairwise overlap F1, rules / stage 2 with biases (dev)",
        format!(
            "source {:.3} / {:.3}; cue {:.3} / {:.3}; content {:.3} / {:.3}",
            rules_dev.citron[0].f1(),
            dev2b.citron[0].f1(),
            rules_dev.citron[1].f1(),
            dev2b.citron[1].f1(),
            rules_dev.citron[2].f1(),
            dev2b.citron[2].f1()
        ),
        "-",
    ));
    Ok(rows)
}

/// Sets the decoding bias of both tags of each role.
fn set_bias(w: &mut Weights, per_role: [f32; 3]) {
    for (r, b) in per_role.into_iter().enumerate() {
        w.bias[begin(r) as usize] = b;
        w.bias[begin(r) as usize + 1] = b;
    }
}

/// Pads averaged weights to `features` (new features weigh nothing).
fn extend(mut w: Weights, features: usize) -> Weights {
    w.w.resize(features * NL, 0.0);
    w
}
