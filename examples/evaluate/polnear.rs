//! Attribution extraction on PolNeAR (political news, BRAT standoff, char offsets),
//! scored per role (source, cue, content) the way BBC Citron reports PARC 3.0:
//! - exact: a predicted role instance (all its spans, whitespace-trimmed) equals a gold
//!   one; each gold instance matches at most once;
//! - token overlap (the headline figure): tokens are word tokens (maximal runs of letters
//!   and digits, so punctuation-only cues such as `:` carry no weight), pooled as a set
//!   per document and role; P = predicted tokens inside gold spans of that role /
//!   predicted tokens, R = gold tokens covered by predicted spans / gold tokens. A token
//!   counts once however many relations share it, so P and R stay within [0, 1];
//! - Citron's own overlap (`citron/metrics.py`), printed as a cross-check: lengths summed
//!   per relation and overlaps summed over every (predicted, gold) pair of relations in a
//!   document, with the same word tokens. It counts a token twice when two relations
//!   share it (nested contents), so it can run higher than the pooled figure.
//!
//! Token-overlap recall of cues falls below their exact recall on PolNeAR because the
//! corpus annotates long cues (`has been critical of`, `reserved his praise for`): a
//! missed four-word cue costs four tokens but one instance.
//!
//! Also: attributions found per kind; gold relations found (a prediction's cue overlaps
//! the gold cue) and missed per kind, the gold kind read off the annotation (cue
//! `according to`; source an organisation; content all quotation, partly, or none); and
//! for gold relations whose content holds a quotation mark, how often the predicted
//! speaker (of the prediction whose content overlaps that content most) has the gold
//! source's [`entity_key`]. Articles annotated by several annotators are scored on the
//! alphabetically first file. Rules are tuned on `train`; `dev` is reported on its own as
//! the held-out check (the official test compartment is not in the data folder).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use claimdiff::attribute::{Attribution, Kind, Span, entity_key, extract_text, is_organisation};

use crate::Row;

/// One gold relation: spans per role.
#[derive(Default, Clone)]
pub struct Gold {
    pub source: Vec<Span>,
    pub cue: Vec<Span>,
    pub content: Vec<Span>,
}

/// One article with its gold relations.
pub struct Article {
    pub name: String,
    pub text: String,
    pub gold: Vec<Gold>,
}

/// Parses one BRAT `.ann` file into relations.
pub fn parse_ann(ann: &str) -> Vec<Gold> {
    // Entries may hold raw newlines: an entry starts at a line beginning `T<n>\t`/`E<n>\t`.
    let mut entries: Vec<String> = Vec::new();
    for line in ann.split('\n') {
        let starts = {
            let mut it = line.chars();
            matches!(it.next(), Some('T' | 'E' | 'R' | 'A' | '#'))
                && line
                    .split('\t')
                    .next()
                    .is_some_and(|id| id.len() > 1 && id[1..].chars().all(|c| c.is_ascii_digit()))
        };
        match entries.last_mut() {
            Some(last) if !starts => {
                last.push('\n');
                last.push_str(line);
            }
            _ => entries.push(line.to_string()),
        }
    }
    let mut spans: HashMap<String, Vec<Span>> = HashMap::new();
    let mut relations = Vec::new();
    for e in &entries {
        let mut parts = e.splitn(3, '\t');
        let id = parts.next().unwrap_or_default();
        let body = parts.next().unwrap_or_default();
        if id.starts_with('T') {
            let Some((_, offsets)) = body.split_once(' ') else {
                continue;
            };
            let list = offsets
                .split(';')
                .filter_map(|p| {
                    let mut n = p.split_whitespace().map(|x| x.parse::<usize>());
                    match (n.next(), n.next()) {
                        (Some(Ok(start)), Some(Ok(end))) => Some(Span { start, end }),
                        _ => None,
                    }
                })
                .collect();
            spans.insert(id.to_string(), list);
        } else if id.starts_with('E') {
            relations.push(body.to_string());
        }
    }
    relations
        .iter()
        .map(|body| {
            let mut g = Gold::default();
            for arg in body.split_whitespace() {
                let Some((role, t)) = arg.split_once(':') else {
                    continue;
                };
                let s = spans.get(t).cloned().unwrap_or_default();
                match role {
                    "Source" => g.source.extend(s),
                    "Cue" => g.cue.extend(s),
                    r if r.starts_with("Content") => g.content.extend(s),
                    _ => {}
                }
            }
            g
        })
        .collect()
}

/// Reads one compartment (`train`, `dev`).
pub fn load(dir: &Path) -> Result<Vec<Article>, String> {
    let ann_dir = dir.join("attributions");
    let mut first: BTreeMap<String, String> = BTreeMap::new();
    let entries = std::fs::read_dir(&ann_dir).map_err(|e| format!("{}: {e}", ann_dir.display()))?;
    let mut files: Vec<String> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|f| f.ends_with(".ann"))
        .collect();
    files.sort();
    for f in files {
        let stem = f.trim_end_matches(".ann");
        let name = stem.rsplit_once('_').map_or(stem, |(n, _)| n).to_string();
        first.entry(name).or_insert(f);
    }
    let mut out = Vec::new();
    for (name, file) in first {
        let read =
            |p: &Path| std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()));
        let text = read(&dir.join("text").join(format!("{name}.txt")))?;
        let ann = read(&ann_dir.join(file))?;
        out.push(Article {
            name,
            text,
            gold: parse_ann(&ann),
        });
    }
    Ok(out)
}

/// Counts for P/R/F1.
#[derive(Default, Clone, Copy)]
pub struct Prf {
    pub correct_p: usize,
    pub predicted: usize,
    pub correct_r: usize,
    pub gold: usize,
}

impl Prf {
    pub fn p(&self) -> f64 {
        ratio(self.correct_p, self.predicted)
    }
    pub fn r(&self) -> f64 {
        ratio(self.correct_r, self.gold)
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.p(), self.r());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    fn add(&mut self, o: Prf) {
        self.correct_p += o.correct_p;
        self.predicted += o.predicted;
        self.correct_r += o.correct_r;
        self.gold += o.gold;
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// Scores of one compartment.
#[derive(Default)]
pub struct Scores {
    /// Exact and overlap per role: source, cue, content.
    pub exact: [Prf; 3],
    pub overlap: [Prf; 3],
    /// Citron's pairwise overlap (see the module docs).
    pub citron: [Prf; 3],
    pub kinds: BTreeMap<&'static str, usize>,
    /// Gold relations per kind: (found, missed).
    pub gold_kinds: BTreeMap<&'static str, (usize, usize)>,
    pub quote_gold: usize,
    pub quote_found: usize,
    pub quote_right: usize,
    pub articles: usize,
    pub relations: usize,
}

/// `s` without leading and trailing whitespace.
pub fn trim(chars: &[char], s: Span) -> Span {
    let (mut a, mut b) = (s.start.min(chars.len()), s.end.min(chars.len()));
    while a < b && chars[a].is_whitespace() {
        a += 1;
    }
    while b > a && chars[b - 1].is_whitespace() {
        b -= 1;
    }
    Span { start: a, end: b }
}

/// Word tokens as (start, end) char offsets.
pub fn word_tokens(chars: &[char]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_alphanumeric() {
            let s = i;
            while i < chars.len() && chars[i].is_alphanumeric() {
                i += 1;
            }
            out.push((s, i));
        } else {
            i += 1;
        }
    }
    out
}

/// Indices of the word tokens that overlap any of `spans`.
pub fn covered(tokens: &[(usize, usize)], spans: &[Span]) -> HashSet<usize> {
    let mut out = HashSet::new();
    for s in spans {
        let from = tokens.partition_point(|t| t.0 < s.start);
        for (k, t) in tokens.iter().enumerate().skip(from) {
            if t.0 >= s.end {
                break;
            }
            out.insert(k);
        }
    }
    out
}

fn role_of(a: &Attribution, role: usize) -> Vec<Span> {
    match role {
        0 => a.source.into_iter().collect(),
        1 => vec![a.cue],
        _ => a.content.clone(),
    }
}

fn gold_role(g: &Gold, role: usize) -> &[Span] {
    match role {
        0 => &g.source,
        1 => &g.cue,
        _ => &g.content,
    }
}

fn kind_name(k: Kind) -> &'static str {
    match k {
        Kind::DirectQuote => "direct",
        Kind::Indirect => "indirect",
        Kind::Mixed => "mixed",
        Kind::AccordingTo => "according-to",
        Kind::OrganisationCredit => "organisation credit",
    }
}

fn text_of(chars: &[char], v: &[Span]) -> String {
    spans_text(chars, v, " ")
}

/// The texts of spans (clipped to the document), joined with `sep`.
fn spans_text(chars: &[char], v: &[Span], sep: &str) -> String {
    v.iter()
        .map(|s| {
            chars[s.start.min(chars.len())..s.end.min(chars.len())]
                .iter()
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join(sep)
}

/// The kind of a gold relation, read off its spans the way the extractor names kinds.
fn gold_kind(chars: &[char], g: &Gold) -> &'static str {
    let cue = text_of(chars, &g.cue).to_lowercase();
    if cue.trim() == "according to" {
        return "according-to";
    }
    if is_organisation(text_of(chars, &g.source).trim()) {
        return "organisation credit";
    }
    let content = text_of(chars, &g.content);
    let content = content.trim_matches(|c: char| c.is_whitespace() || ".,;:".contains(c));
    let marks = ['“', '”', '"'];
    if content.starts_with(marks)
        && content.ends_with(marks)
        && content.chars().filter(|c| marks.contains(c)).count() == 2
    {
        "direct"
    } else if content.contains(marks) {
        "mixed"
    } else {
        "indirect"
    }
}

/// Scores predicted role instances (per role: one list of spans per instance) against the
/// gold relations of one article: exact, pooled token overlap and Citron's pairwise
/// overlap, added into `sc`. Shared by the rules and the tagger experiment.
pub fn score_roles(
    chars: &[char],
    tokens: &[(usize, usize)],
    gold_rel: &[Gold],
    predicted: &[Vec<Vec<Span>>; 3],
    sc: &mut Scores,
) {
    for role in 0..3 {
        let norm = |v: &[Span]| -> Vec<Span> {
            let mut v: Vec<Span> = v.iter().map(|s| trim(chars, *s)).collect();
            v.sort();
            v
        };
        let gold: Vec<Vec<Span>> = gold_rel
            .iter()
            .map(|g| norm(gold_role(g, role)))
            .filter(|v| !v.is_empty())
            .collect();
        let predicted: Vec<Vec<Span>> = predicted[role]
            .iter()
            .map(|v| norm(v))
            .filter(|v| !v.is_empty())
            .collect();
        let mut left: HashMap<&Vec<Span>, usize> = HashMap::new();
        for g in &gold {
            *left.entry(g).or_default() += 1;
        }
        let mut hit = 0;
        for p in &predicted {
            if let Some(n) = left.get_mut(p).filter(|n| **n > 0) {
                *n -= 1;
                hit += 1;
            }
        }
        sc.exact[role].add(Prf {
            correct_p: hit,
            predicted: predicted.len(),
            correct_r: hit,
            gold: gold.len(),
        });
        let g_all: Vec<Span> = gold.concat();
        let p_all: Vec<Span> = predicted.concat();
        let gt = covered(tokens, &g_all);
        let pt = covered(tokens, &p_all);
        let both = gt.intersection(&pt).count();
        sc.overlap[role].add(Prf {
            correct_p: both,
            predicted: pt.len(),
            correct_r: both,
            gold: gt.len(),
        });
        let g_sets: Vec<HashSet<usize>> = gold.iter().map(|g| covered(tokens, g)).collect();
        let p_sets: Vec<HashSet<usize>> = predicted.iter().map(|p| covered(tokens, p)).collect();
        let pairwise: usize = p_sets
            .iter()
            .map(|p| {
                g_sets
                    .iter()
                    .map(|g| p.intersection(g).count())
                    .sum::<usize>()
            })
            .sum();
        sc.citron[role].add(Prf {
            correct_p: pairwise,
            predicted: p_sets.iter().map(HashSet::len).sum(),
            correct_r: pairwise,
            gold: g_sets.iter().map(HashSet::len).sum(),
        });
    }
}

/// Scores one article into `sc`.
pub fn score_article(art: &Article, sc: &mut Scores) {
    let chars: Vec<char> = art.text.chars().collect();
    let tokens = word_tokens(&chars);
    let pred = extract_text(&art.text);
    if let Some(dir) = std::env::var_os("POLNEAR_DUMP") {
        dump(Path::new(&dir), art, &chars, &pred);
    }
    sc.articles += 1;
    sc.relations += art.gold.len();
    for a in &pred {
        *sc.kinds.entry(kind_name(a.kind)).or_default() += 1;
    }
    let predicted: [Vec<Vec<Span>>; 3] =
        std::array::from_fn(|role| pred.iter().map(|a| role_of(a, role)).collect());
    score_roles(&chars, &tokens, &art.gold, &predicted, sc);
    for g in &art.gold {
        let found = pred.iter().any(|a| {
            g.cue
                .iter()
                .any(|c| a.cue.start < c.end && c.start < a.cue.end)
        });
        let e = sc.gold_kinds.entry(gold_kind(&chars, g)).or_default();
        if found {
            e.0 += 1;
        } else {
            e.1 += 1;
        }
    }
    // Speakers of quotations.
    let pred_tokens: Vec<HashSet<usize>> =
        pred.iter().map(|a| covered(&tokens, &a.content)).collect();
    for g in &art.gold {
        if g.source.is_empty() {
            continue;
        }
        let text: String = g
            .content
            .iter()
            .map(|s| {
                chars[s.start.min(chars.len())..s.end.min(chars.len())]
                    .iter()
                    .collect::<String>()
            })
            .collect();
        if !text.contains(['“', '”', '"']) && !text.contains("''") {
            continue;
        }
        sc.quote_gold += 1;
        let gt = covered(&tokens, &g.content);
        let best = pred_tokens
            .iter()
            .enumerate()
            .map(|(k, t)| (t.intersection(&gt).count(), k))
            .filter(|(n, _)| *n > 0)
            .max();
        let Some((_, k)) = best else {
            continue;
        };
        sc.quote_found += 1;
        let span_text = |v: &[Span]| text_of(&chars, v);
        let gold_key = entity_key(&span_text(&g.source));
        let pred_key = pred[k].source.map(|s| entity_key(&span_text(&[s])));
        if pred_key.as_deref() == Some(gold_key.as_str()) {
            sc.quote_right += 1;
        }
    }
}

/// Writes predicted and gold relations side by side for error analysis (set
/// `POLNEAR_DUMP=<dir>`; the files hold corpus text, so keep them outside the repository).
fn dump(dir: &Path, art: &Article, chars: &[char], pred: &[Attribution]) {
    let t = |v: &[Span]| spans_text(chars, v, " | ").replace('\n', " ");
    let mut lines: Vec<(usize, String)> = Vec::new();
    for g in &art.gold {
        let at = g.cue.first().map_or(0, |s| s.start);
        lines.push((
            at,
            format!(
                "G {at}\tS[{}]\tC[{}]\tX[{}]",
                t(&g.source),
                t(&g.cue),
                t(&g.content)
            ),
        ));
    }
    for a in pred {
        let src: Vec<Span> = a.source.into_iter().collect();
        lines.push((
            a.cue.start,
            format!(
                "P {}\tS[{}]\tC[{}]\tX[{}]",
                a.cue.start,
                t(&src),
                t(&[a.cue]),
                t(&a.content)
            ),
        ));
    }
    lines.sort();
    let body: Vec<String> = lines.into_iter().map(|l| l.1).collect();
    let _ = std::fs::create_dir_all(dir);
    let _ = std::fs::write(dir.join(format!("{}.txt", art.name)), body.join("\n"));
    let spans = |v: &[Span]| -> Vec<[usize; 2]> { v.iter().map(|s| [s.start, s.end]).collect() };
    let json = serde_json::json!({
        "gold": art.gold.iter().map(|g| serde_json::json!({
            "source": spans(&g.source), "cue": spans(&g.cue), "content": spans(&g.content),
        })).collect::<Vec<_>>(),
        "pred": pred.iter().map(|a| serde_json::json!({
            "source": spans(&a.source.into_iter().collect::<Vec<_>>()),
            "cue": spans(&[a.cue]), "content": spans(&a.content),
        })).collect::<Vec<_>>(),
    });
    let _ = std::fs::write(dir.join(format!("{}.json", art.name)), json.to_string());
}

/// Scores a list of articles.
pub fn score(articles: &[Article]) -> Scores {
    let mut sc = Scores::default();
    for a in articles {
        score_article(a, &mut sc);
    }
    sc
}

fn rows_for(label: &str, sc: &Scores, with_reference: bool) -> Vec<Row> {
    let roles = ["source", "cue", "content"];
    let refs = [
        "Citron (PARC 3.0, other corpus): exact F1 .820, overlap F1 .853",
        "Citron (PARC 3.0, other corpus): exact F1 .823, overlap F1 .768",
        "Citron (PARC 3.0, other corpus): exact F1 .593, overlap F1 .833",
    ];
    let f = |p: &Prf| format!("P {:.3} / R {:.3} / F1 **{:.3}**", p.p(), p.r(), p.f1());
    let mut rows: Vec<Row> = (0..3)
        .map(|r| {
            Row::new(
                &format!("attribution: PolNeAR {label}, {}", roles[r]),
                format!(
                    "exact {}; token overlap {}; Citron-style pairwise overlap F1 {:.3}",
                    f(&sc.exact[r]),
                    f(&sc.overlap[r]),
                    sc.citron[r].f1()
                ),
                if with_reference {
                    refs[r]
                } else {
                    "goal: overlap F1 .85"
                },
            )
        })
        .collect();
    let kinds = sc
        .kinds
        .iter()
        .map(|(k, n)| format!("{k} {n}"))
        .collect::<Vec<_>>()
        .join(", ");
    rows.push(Row::new(
        &format!("attribution: PolNeAR {label}, found per kind"),
        format!(
            "{kinds} ({} articles, {} gold relations)",
            sc.articles, sc.relations
        ),
        "-",
    ));
    let gold_kinds = sc
        .gold_kinds
        .iter()
        .map(|(k, (found, missed))| format!("{k} {found} found / {missed} missed"))
        .collect::<Vec<_>>()
        .join(", ");
    rows.push(Row::new(
        &format!("attribution: PolNeAR {label}, gold relations per kind (cue overlap)"),
        gold_kinds,
        "-",
    ));
    rows.push(Row::new(
        &format!("attribution: PolNeAR {label}, speaker of quotations (head-word match)"),
        format!(
            "{}/{} right ({:.1}%); content found for {}",
            sc.quote_right,
            sc.quote_gold,
            100.0 * ratio(sc.quote_right, sc.quote_gold),
            sc.quote_found
        ),
        "human attribution-wise agreement 92.3% (PolNeAR paper)",
    ));
    rows
}

impl Scores {
    fn add(&mut self, o: &Scores) {
        for r in 0..3 {
            self.exact[r].add(o.exact[r]);
            self.overlap[r].add(o.overlap[r]);
            self.citron[r].add(o.citron[r]);
        }
        for (k, n) in &o.kinds {
            *self.kinds.entry(k).or_default() += n;
        }
        for (k, (f, m)) in &o.gold_kinds {
            let e = self.gold_kinds.entry(k).or_default();
            e.0 += f;
            e.1 += m;
        }
        self.quote_gold += o.quote_gold;
        self.quote_found += o.quote_found;
        self.quote_right += o.quote_right;
        self.articles += o.articles;
        self.relations += o.relations;
    }
}

/// The evaluation rows for PolNeAR: train+dev together (the README table), then train
/// (where the rules were tuned) and dev (held out from tuning) alone.
pub fn run(data: &Path) -> Result<Vec<Row>, String> {
    let dir = data.join("polnear");
    let t = score(&load(&dir.join("train"))?);
    let d = score(&load(&dir.join("dev"))?);
    let mut all = Scores::default();
    all.add(&t);
    all.add(&d);
    let mut rows = rows_for("train+dev", &all, true);
    rows.extend(rows_for("train", &t, false));
    rows.extend(rows_for("dev", &d, false));
    Ok(rows)
}
