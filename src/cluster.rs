//! Cluster: groups a pile of articles into stories by the text they share, so that
//! `batch` can compare the versions of each story.
//!
//! What it promises:
//! - **Shingles.** An article's text becomes its set of word shingles: every run of
//!   [`ClusterOptions::shingle_words`] consecutive words (letters and digits, lower-cased;
//!   everything else separates words), hashed to 64 bits. A text shorter than that is one
//!   shingle of all its words. Shingles found in more than [`ClusterOptions::common`]
//!   articles (boilerplate, stock phrases) are ignored, for finding pairs and for
//!   measuring them alike.
//! - **Pairs.** Candidates come from an inverted index of the remaining shingles, which
//!   counts exactly how many shingles two articles share: no pair is missed and no
//!   estimate is involved. A pair is linked when its [`Measure`] reaches
//!   [`ClusterOptions::threshold`] and it shares at least three shingles (or all of the
//!   smaller article's, if it has fewer).
//! - **Stories** are the connected groups of linked articles (union-find), so A–B and
//!   B–C put A, B and C in one story even when A and C share little.
//! - **Deterministic.** The grouping depends only on the texts and the options, never on
//!   the number of threads. Stories are numbered by their first article in input order,
//!   and keep their articles in input order.
//! - **Input** ([`read_articles`]): a JSONL file (one article a line; each line is
//!   written back as it came, with only `story` set), a directory or another file the
//!   loaders in [`crate::load`] read (written back from the loaded fields), or `-` for
//!   JSONL on standard input. A bad line is an error naming the file and line; so is an
//!   `id` used twice, since `batch` could not tell two versions of one story apart.
//!
//! Memory is about 16 bytes per shingle of the whole pile while the index is built.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use rayon::prelude::*;
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::load::{self, Document, Format};

/// How two articles' shingle sets are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// Shared shingles over the smaller set's size: a short rewrite that keeps a part
    /// of a long wire copy scores high, which is what versions of a story look like.
    Containment,
    /// Shared shingles over the union's size: both must be mostly the same text.
    Jaccard,
}

/// Options for [`cluster`].
#[derive(Debug, Clone)]
pub struct ClusterOptions {
    /// Least [`Measure`] (0 to 1) for two articles to be linked.
    pub threshold: f64,
    /// How pairs are measured.
    pub measure: Measure,
    /// Words per shingle.
    pub shingle_words: usize,
    /// Shingles in more articles than this are ignored; `None` picks
    /// `max(200, articles / 50)`.
    pub common: Option<usize>,
}

impl Default for ClusterOptions {
    fn default() -> Self {
        ClusterOptions {
            threshold: 0.2,
            measure: Measure::Containment,
            shingle_words: 3,
            common: None,
        }
    }
}

/// The least number of shared shingles for a link, unless the smaller set is smaller.
const MIN_SHARED: usize = 3;

/// The grouping of a pile of articles into stories.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clustering {
    /// For each article (input order), the 0-based number of its story.
    pub story_of: Vec<usize>,
    /// How many stories there are.
    pub stories: usize,
    /// How many article pairs were linked (before union-find).
    pub links: usize,
}

impl Clustering {
    /// Each story's articles (input order), stories in order of their first article.
    pub fn groups(&self) -> Vec<Vec<usize>> {
        let mut groups = vec![Vec::new(); self.stories];
        for (i, &s) in self.story_of.iter().enumerate() {
            groups[s].push(i);
        }
        groups
    }
}

/// The `story` value written for the story numbered `n` (0-based).
pub fn story_key(n: usize) -> String {
    format!("story-{}", n + 1)
}

/// Groups texts into stories. Runs on the current rayon pool; the result does not
/// depend on its size.
pub fn cluster<S: AsRef<str> + Sync>(texts: &[S], opts: &ClusterOptions) -> Clustering {
    let k = opts.shingle_words.max(1);
    let n = texts.len();
    let common = opts.common.unwrap_or((n / 50).max(200));

    // Postings by sorting (hash, article) pairs: a total order, so the index is the same
    // whatever the thread count.
    let mut entries: Vec<(u64, u32)> = (0..n)
        .into_par_iter()
        .flat_map_iter(|i| {
            shingles(texts[i].as_ref(), k)
                .into_iter()
                .map(move |h| (h, i as u32))
        })
        .collect();
    entries.par_sort_unstable();
    let mut size = vec![0usize; n];
    let mut postings: Vec<u32> = Vec::new();
    let mut lists: Vec<(usize, usize)> = Vec::new();
    let mut lists_of: Vec<Vec<u32>> = vec![Vec::new(); n];
    let mut start = 0;
    while start < entries.len() {
        let h = entries[start].0;
        let mut end = start + 1;
        while end < entries.len() && entries[end].0 == h {
            end += 1;
        }
        let df = end - start;
        if df <= common {
            for &(_, a) in &entries[start..end] {
                size[a as usize] += 1;
            }
            // A shingle only one article has counts toward its size, links nothing.
            if df > 1 {
                let id = lists.len() as u32;
                lists.push((postings.len(), df));
                for &(_, a) in &entries[start..end] {
                    postings.push(a);
                    lists_of[a as usize].push(id);
                }
            }
        }
        start = end;
    }
    drop(entries);

    let edges: Vec<(u32, u32)> = (0..n)
        .into_par_iter()
        .map_init(
            || (vec![0u32; n], Vec::<u32>::new()),
            |(counts, touched), i| {
                for &l in &lists_of[i] {
                    let (from, len) = lists[l as usize];
                    // Postings are sorted by article: only later ones, so each pair is
                    // counted once, by its first article.
                    let list = &postings[from..from + len];
                    let after = list.partition_point(|&a| a as usize <= i);
                    for &j in &list[after..] {
                        if counts[j as usize] == 0 {
                            touched.push(j);
                        }
                        counts[j as usize] += 1;
                    }
                }
                let mut linked = Vec::new();
                for &j in touched.iter() {
                    let shared = counts[j as usize] as usize;
                    counts[j as usize] = 0;
                    if links(shared, size[i], size[j as usize], opts) {
                        linked.push((i as u32, j));
                    }
                }
                touched.clear();
                linked
            },
        )
        .flatten()
        .collect();

    let mut parent: Vec<usize> = (0..n).collect();
    for &(a, b) in &edges {
        let (ra, rb) = (find(&mut parent, a as usize), find(&mut parent, b as usize));
        if ra != rb {
            // The smaller index is the root: a fixed choice, for a fixed result.
            let (lo, hi) = (ra.min(rb), ra.max(rb));
            parent[hi] = lo;
        }
    }
    let mut number: HashMap<usize, usize> = HashMap::new();
    let story_of: Vec<usize> = (0..n)
        .map(|i| {
            let root = find(&mut parent, i);
            let next = number.len();
            *number.entry(root).or_insert(next)
        })
        .collect();
    Clustering {
        story_of,
        stories: number.len(),
        links: edges.len(),
    }
}

fn links(shared: usize, a: usize, b: usize, opts: &ClusterOptions) -> bool {
    let smaller = a.min(b);
    if smaller == 0 || shared < MIN_SHARED.min(smaller) {
        return false;
    }
    let score = match opts.measure {
        Measure::Containment => shared as f64 / smaller as f64,
        Measure::Jaccard => shared as f64 / (a + b - shared) as f64,
    };
    score >= opts.threshold
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

/// The sorted, distinct shingle hashes of a text (see the module docs).
pub fn shingles(text: &str, k: usize) -> Vec<u64> {
    let words: Vec<u64> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(word_hash)
        .collect();
    let mut out: Vec<u64> = if words.is_empty() {
        Vec::new()
    } else if words.len() < k {
        vec![shingle_hash(&words)]
    } else {
        words.windows(k).map(shingle_hash).collect()
    };
    out.sort_unstable();
    out.dedup();
    out
}

/// FNV-1a over the lower-cased word: fixed, so hashes never change between runs.
fn word_hash(word: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for c in word.chars().flat_map(char::to_lowercase) {
        let mut buf = [0u8; 4];
        for &b in c.encode_utf8(&mut buf).as_bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

fn shingle_hash(words: &[u64]) -> u64 {
    let mut h: u64 = words.len() as u64;
    for &w in words {
        h = mix(h ^ w);
    }
    h
}

/// splitmix64's finaliser: spreads every input bit over the output.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_133F_11EB);
    z ^ (z >> 31)
}

/// One article of the pile.
#[derive(Debug, Clone)]
pub struct Article {
    /// Its id as loaded (metadata `id`, else a default from the file name or line).
    pub id: String,
    /// Where it was read: `file:line` for JSONL, else the path.
    pub origin: String,
    /// The text its shingles come from.
    pub text: String,
    /// The JSON object written back (without `story`).
    pub record: Map<String, Value>,
}

impl Article {
    /// The article as an output line's object: `story` first, then the record.
    pub fn with_story(&self, story: &str) -> Map<String, Value> {
        let mut out = Map::with_capacity(self.record.len() + 1);
        out.insert("story".into(), Value::String(story.to_string()));
        for (k, v) in &self.record {
            out.insert(k.clone(), v.clone());
        }
        out
    }
}

/// Reads a pile of articles (see the module docs for the inputs).
pub fn read_articles(input: &Path) -> Result<Vec<Article>> {
    let shown = input.display().to_string();
    let articles = if input == Path::new("-") {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| Error::new("-", format!("cannot read standard input: {e}")))?;
        jsonl_articles("-", &bytes)?
    } else if input.is_file() && Format::from_path(input) == Some(Format::Jsonl) {
        let bytes = std::fs::read(input).map_err(|e| Error::new(&shown, e.to_string()))?;
        jsonl_articles(&shown, &bytes)?
    } else {
        load::load_path(input)?
            .into_iter()
            .map(|d| Article {
                record: record_of(&d),
                id: d.id,
                origin: d.origin,
                text: d.text,
            })
            .collect()
    };
    if articles.is_empty() {
        return Err(Error::new(&shown, "no articles"));
    }
    let mut seen: HashMap<&str, &str> = HashMap::new();
    for a in &articles {
        if !a.record.contains_key("id") {
            continue;
        }
        if let Some(first) = seen.insert(&a.id, &a.origin) {
            return Err(Error::new(
                &a.origin,
                format!(
                    "duplicate article id {:?} (also at {first}); ids must be unique",
                    a.id
                ),
            ));
        }
    }
    Ok(articles)
}

fn jsonl_articles(path: &str, bytes: &[u8]) -> Result<Vec<Article>> {
    let lines: Vec<(usize, &[u8])> = bytes
        .split(|&b| b == b'\n')
        .enumerate()
        .filter(|(_, line)| !line.iter().all(u8::is_ascii_whitespace))
        .map(|(n, line)| (n + 1, line))
        .collect();
    let parsed: Vec<Result<Article>> = lines
        .into_par_iter()
        .map(|(line_no, line)| jsonl_article(path, line_no, line))
        .collect();
    // The first bad line in file order, whatever the thread count.
    parsed.into_iter().collect()
}

fn jsonl_article(path: &str, line_no: usize, line: &[u8]) -> Result<Article> {
    let at = |e: Error| Error::at(path, line_no, e.column, e.message);
    let origin = format!("{path}:{line_no}");
    let mut docs =
        load::load_bytes(&origin, &format!("line-{line_no}"), line, Format::Json).map_err(at)?;
    let (Some(doc), true) = (docs.pop(), docs.is_empty()) else {
        return Err(Error::at(
            path,
            line_no,
            None,
            "expected one JSON object on the line",
        ));
    };
    // The loader accepted the line, so it is one JSON object.
    let line = line.strip_prefix("\u{FEFF}".as_bytes()).unwrap_or(line);
    let Ok(Value::Object(mut record)) = serde_json::from_slice::<Value>(line) else {
        return Err(Error::at(path, line_no, None, "line is not a JSON object"));
    };
    record.shift_remove("story");
    Ok(Article {
        id: doc.id,
        origin,
        text: doc.text,
        record,
    })
}

/// A loaded document as a JSON object that the loaders read back the same way.
fn record_of(d: &Document) -> Map<String, Value> {
    let mut m = Map::new();
    let s = |v: &str| Value::String(v.to_string());
    m.insert("id".into(), s(&d.id));
    m.insert("source".into(), s(&d.source));
    for (key, v) in d.meta.named() {
        m.insert(key.into(), s(v));
    }
    for (k, v) in &d.meta.extra {
        if k != "story" && !m.contains_key(k) {
            m.insert(k.clone(), s(v));
        }
    }
    match &d.given_sentences {
        Some(ranges) => {
            let list = ranges.iter().map(|&(a, b)| s(&d.text[a..b])).collect();
            m.insert("sentences".into(), Value::Array(list));
        }
        None => {
            m.insert("text".into(), s(&d.text));
        }
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    const HARBOUR: &str = "Dock workers at the northern harbour walked out on Monday after talks \
        over night shifts collapsed, leaving forty ships waiting at anchor. The union said the \
        strike would last until the port authority restored the old rota.";
    const HARBOUR_SHORT: &str = "Dock workers at the northern harbour walked out on Monday after \
        talks over night shifts collapsed.";
    const ORCHARD: &str = "A late frost destroyed most of the apple blossom in the valley \
        orchards this week, and growers expect the smallest harvest in a decade.";
    const ORCHARD_EDIT: &str = "Growers fear the smallest harvest in a decade after a late frost \
        destroyed most of the apple blossom in the valley orchards.";

    #[test]
    fn versions_group_and_other_stories_stay_apart() {
        let texts = [HARBOUR, ORCHARD, HARBOUR_SHORT, ORCHARD_EDIT];
        let c = cluster(&texts, &ClusterOptions::default());
        assert_eq!(c.story_of, vec![0, 1, 0, 1]);
        assert_eq!(c.groups(), vec![vec![0, 2], vec![1, 3]]);
        assert_eq!(story_key(0), "story-1");
    }

    #[test]
    fn containment_links_a_short_cut_that_jaccard_does_not() {
        let texts = [HARBOUR, HARBOUR_SHORT];
        let jaccard = ClusterOptions {
            measure: Measure::Jaccard,
            threshold: 0.6,
            ..ClusterOptions::default()
        };
        assert_eq!(cluster(&texts, &jaccard).stories, 2);
        let containment = ClusterOptions {
            threshold: 0.9,
            ..ClusterOptions::default()
        };
        assert_eq!(cluster(&texts, &containment).stories, 1);
    }

    #[test]
    fn links_chain_through_a_middle_version() {
        let a = "one two three four five six seven eight nine ten";
        let b = "six seven eight nine ten eleven twelve thirteen fourteen fifteen";
        let c = "eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen";
        let opts = ClusterOptions {
            threshold: 0.3,
            ..ClusterOptions::default()
        };
        assert_eq!(cluster(&[a, b, c], &opts).story_of, vec![0, 0, 0]);
        assert_eq!(cluster(&[a, c], &opts).story_of, vec![0, 1]);
    }

    #[test]
    fn common_shingles_are_ignored() {
        // Two different briefs that share only a boilerplate line found everywhere.
        let foot = "Copyright the daily courier all rights reserved";
        let mut texts: Vec<String> = (0..5)
            .map(|i| format!("Filler number {i} about gardens and weather {i}. {foot}"))
            .collect();
        texts.push(format!("Rail fares rise again. {foot}"));
        texts.push(format!("Council approves the bridge. {foot}"));
        let keep = ClusterOptions {
            common: Some(100),
            ..ClusterOptions::default()
        };
        assert_eq!(cluster(&texts, &keep).stories, 1);
        let ignore = ClusterOptions {
            common: Some(3),
            ..ClusterOptions::default()
        };
        assert_eq!(cluster(&texts, &ignore).stories, 7);
    }

    #[test]
    fn shingles_fold_case_and_punctuation_and_cover_short_texts() {
        assert_eq!(
            shingles("The city’s Mayor, said.", 3),
            shingles("the CITY's mayor said", 3)
        );
        assert_eq!(shingles("Two words", 3).len(), 1);
        assert!(shingles(" ,.; ", 3).is_empty());
        assert_eq!(shingles("a b c a b c", 3).len(), 3);
    }

    #[test]
    fn tiny_texts_need_all_their_shingles_shared() {
        let opts = ClusterOptions::default();
        assert_eq!(cluster(&["Rain today.", "Rain today."], &opts).stories, 1);
        assert_eq!(cluster(&["Rain today.", "Sun today."], &opts).stories, 2);
    }

    #[test]
    fn same_result_whatever_the_thread_count() {
        let texts: Vec<String> = (0..60)
            .map(|i| {
                let base = [HARBOUR, ORCHARD, HARBOUR_SHORT, ORCHARD_EDIT][i % 4];
                format!("{base} Note {} of {}.", i / 4, i % 7)
            })
            .collect();
        let run = |threads| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| cluster(&texts, &ClusterOptions::default()))
        };
        assert_eq!(run(1), run(4));
    }

    #[test]
    fn jsonl_lines_are_kept_and_errors_name_the_line() {
        let got = jsonl_articles(
            "p.jsonl",
            b"{\"id\": \"a\", \"story\": \"old\", \"tags\": [1], \"text\": \"One.\"}\n\n{\"text\": \"Two.\"}\n",
        )
        .unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].record.get("tags"), Some(&serde_json::json!([1])));
        assert!(!got[0].record.contains_key("story"));
        assert_eq!(got[1].origin, "p.jsonl:3");
        let m = got[0].with_story("story-1");
        assert_eq!(m.keys().next().map(String::as_str), Some("story"));
        let e = jsonl_articles("p.jsonl", b"{\"text\": \"ok\"}\n{\"text\": 5}\n").unwrap_err();
        assert_eq!(e.to_string(), "p.jsonl:2: field \"text\" must be a string");
        let e = jsonl_articles("p.jsonl", b"{\"text\": \"ok\"}\n[1, 2]\n").unwrap_err();
        assert!(e.to_string().starts_with("p.jsonl:2"), "{e}");
        let e = jsonl_articles("p.jsonl", b"{\"text\": \"ok\"}\n{oops\n").unwrap_err();
        assert!(
            e.to_string().starts_with("p.jsonl:2:2: malformed JSON"),
            "{e}"
        );
    }

    #[test]
    fn loaded_documents_round_trip_through_their_record() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(
            d.path().join("wire.md"),
            "---\nsource: AP\nrole: wire\n---\nOne claim. Two claims.\n",
        )
        .unwrap();
        std::fs::write(
            d.path().join("split.json"),
            r#"{"id": "s", "sentences": ["First.", "Second."], "desk": "metro"}"#,
        )
        .unwrap();
        let got = read_articles(d.path()).unwrap();
        let again: Vec<Document> = got
            .iter()
            .map(|a| {
                let line = serde_json::to_string(&a.record).unwrap();
                load::load_bytes("x", "x", line.as_bytes(), Format::Json)
                    .unwrap()
                    .remove(0)
            })
            .collect();
        let first = load::load_path(d.path()).unwrap();
        for (a, b) in first.iter().zip(&again) {
            assert_eq!((&a.id, &a.source, &a.text), (&b.id, &b.source, &b.text));
            assert_eq!(a.given_sentences, b.given_sentences);
            assert_eq!(a.meta.role, b.meta.role);
        }
    }

    #[test]
    fn duplicate_ids_are_an_error() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("pile.jsonl");
        std::fs::write(
            &p,
            "{\"id\": \"x\", \"text\": \"A.\"}\n{\"id\": \"x\", \"text\": \"B.\"}\n",
        )
        .unwrap();
        let e = read_articles(&p).unwrap_err();
        assert!(
            e.to_string().contains("pile.jsonl:2: duplicate article id"),
            "{e}"
        );
    }
}
