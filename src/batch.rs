//! Batch: many stories, each compared as `compare` would, streamed from one input.
//!
//! Input is a JSONL file with one article a line and a `story` key grouping the versions
//! of a story (plus the usual `id`, `source`, `text` or `sentences`, metadata), a CSV or
//! TSV file with a story column (read whole; stories in order of first appearance), or a
//! directory whose sub-folders are stories. A story's lines must be consecutive: the
//! reader keeps one story at a time, so memory is bounded by the largest story, not the
//! corpus. A story met again after another one began is an error for that line.
//!
//! Each story becomes one JSON value with the `compare` schema plus `story`. A story that
//! cannot be compared (a malformed line, a single version, duplicate ids) comes back as
//! an error naming its first line; the rest go on.

use std::fs::File;
use std::io::{self, BufRead, BufReader};
use std::path::{Path, PathBuf};

use std::collections::BTreeMap;

use crate::compare::{CompareOptions, compare};
use crate::error::{Error, Result};
use crate::load::{self, Document, Format, LoadOptions};
use crate::report::ReportOptions;
use crate::report::json::write_story_line;

/// One story read from the input, not yet compared.
#[derive(Debug)]
pub struct Story {
    /// The story key (the `story` field, or the folder name).
    pub key: String,
    /// Where the story starts, for messages: `file:line` or the folder path.
    pub origin: String,
    /// Its versions, or the reason they could not be read.
    pub versions: Result<Vec<Document>>,
}

/// Reads stories one at a time from a JSONL file, a CSV/TSV file or a directory of story
/// folders. `opts` gives CSV column names and applies to the files of story folders.
pub fn stories(input: &Path, opts: &LoadOptions) -> Result<Box<dyn Iterator<Item = Story> + Send>> {
    let shown = input.display().to_string();
    if matches!(Format::from_path(input), Some(Format::Csv | Format::Tsv)) {
        return Ok(Box::new(table_stories(input, opts)?.into_iter()));
    }
    let meta = std::fs::metadata(input).map_err(|e| Error::new(&shown, e.to_string()))?;
    if meta.is_dir() {
        let mut dirs: Vec<PathBuf> = std::fs::read_dir(input)
            .map_err(|e| Error::new(&shown, e.to_string()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_dir())
            .collect();
        dirs.sort();
        if dirs.is_empty() {
            return Err(Error::new(&shown, "directory has no story folders"));
        }
        let opts = opts.clone();
        return Ok(Box::new(dirs.into_iter().map(move |d| {
            Story {
                key: d
                    .file_name()
                    .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
                origin: d.display().to_string(),
                versions: load::load_path_with(&d, &opts),
            }
        })));
    }
    let file = File::open(input).map_err(|e| Error::new(&shown, e.to_string()))?;
    Ok(Box::new(JsonlStories {
        path: shown,
        reader: BufReader::with_capacity(READ_BUFFER, file),
        line: Vec::new(),
        line_no: 0,
        pending: None,
        seen: std::collections::HashSet::new(),
        done: false,
    }))
}

/// The stories of a CSV or TSV file: rows grouped by story key, in order of first
/// appearance. A row without a key is its own failed story.
fn table_stories(input: &Path, opts: &LoadOptions) -> Result<Vec<Story>> {
    let docs = load::load_path_with(input, opts)?;
    let mut out: Vec<Story> = Vec::new();
    let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for mut doc in docs {
        let Some(key) = doc.meta.extra.remove("story") else {
            out.push(Story {
                key: String::new(),
                origin: doc.origin.clone(),
                versions: Err(Error::new(
                    &doc.origin,
                    "no story key (a `story` column, or name one with --story-column)",
                )),
            });
            continue;
        };
        match index.get(&key) {
            Some(&i) => {
                if let Ok(v) = &mut out[i].versions {
                    v.push(doc);
                }
            }
            None => {
                index.insert(key.clone(), out.len());
                out.push(Story {
                    key,
                    origin: doc.origin.clone(),
                    versions: Ok(vec![doc]),
                });
            }
        }
    }
    Ok(out)
}

/// Groups consecutive JSONL lines by their `story` key.
struct JsonlStories {
    path: String,
    reader: BufReader<File>,
    /// The line being read, as bytes: one buffer for all of them.
    line: Vec<u8>,
    /// The number of the last line read, from 1.
    line_no: usize,
    /// A line already read that begins the next story.
    pending: Option<(usize, Result<(String, Document)>)>,
    seen: std::collections::HashSet<String>,
    done: bool,
}

/// How much of a JSONL file is read at a time. A corpus's lines are kilobytes long:
/// with the default 8 KB the reads were one system call for every line or so (4,000
/// for 1,000 stories), about 1% of a run's CPU.
const READ_BUFFER: usize = 256 * 1024;

impl JsonlStories {
    /// The next non-blank line, parsed into (story key, version).
    fn next_line(&mut self) -> Option<(usize, Result<(String, Document)>)> {
        if let Some(p) = self.pending.take() {
            return Some(p);
        }
        loop {
            // As `BufRead::lines` reads: a line that is not UTF-8 (or fails to read) is an
            // error for that line, and reading goes on after it.
            let read = read_line(&mut self.reader, &mut self.line);
            if matches!(read, Ok(0)) {
                return None;
            }
            self.line_no += 1;
            let line_no = self.line_no;
            let line = read.and_then(|_| utf8_line(&self.line));
            let line = match line {
                Ok(line) => line,
                Err(e) => {
                    return Some((
                        line_no,
                        Err(Error::at(&self.path, line_no, None, e.to_string())),
                    ));
                }
            };
            let line = match line.strip_suffix('\n') {
                Some(l) => l.strip_suffix('\r').unwrap_or(l),
                None => line,
            };
            if line.trim().is_empty() {
                continue;
            }
            return Some((line_no, parse_line(&self.path, line_no, line)));
        }
    }
}

/// `line` as text, or the error `BufRead::read_line` gives for a line that is not UTF-8.
fn utf8_line(line: &[u8]) -> io::Result<&str> {
    // A line is mostly one long text: the `simdutf8` crate checks it many bytes a step
    // (the standard library's check was half a percent of a run).
    simdutf8::basic::from_utf8(line).map_err(|_| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            "stream did not contain valid UTF-8",
        )
    })
}

/// Reads the next line of `reader` into `line` (cleared first), its `\n` included, as
/// [`BufRead::read_until`] does, and returns its length (0 at the end). Lines are found
/// with the `memchr` crate, many bytes a step (`read_until` looks at a word at a time).
/// On an error `line` is left empty and what was read of the line is lost, as
/// [`BufRead::read_line`] loses it.
fn read_line<R: BufRead>(reader: &mut R, line: &mut Vec<u8>) -> io::Result<usize> {
    line.clear();
    loop {
        let available = match reader.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => {
                line.clear();
                return Err(e);
            }
        };
        let (done, used) = match memchr::memchr(b'\n', available) {
            Some(i) => {
                line.extend_from_slice(&available[..=i]);
                (true, i + 1)
            }
            None => {
                line.extend_from_slice(available);
                (available.is_empty(), available.len())
            }
        };
        reader.consume(used);
        if done {
            return Ok(line.len());
        }
    }
}

/// `n` in decimal.
fn itoa_usize(n: usize) -> String {
    let mut out = String::with_capacity(25);
    std::fmt::Write::write_fmt(&mut out, format_args!("{n}")).expect("a String takes any text");
    out
}

fn parse_line(path: &str, line_no: usize, line: &str) -> Result<(String, Document)> {
    // Built by pushes rather than `format!`: two of these a line were 0.1% of a run.
    let mut number = itoa_usize(line_no);
    let mut origin = String::with_capacity(path.len() + 1 + number.len());
    origin.push_str(path);
    origin.push(':');
    origin.push_str(&number);
    number.insert_str(0, "line-");
    let mut docs = load::load_str(&origin, &number, line, Format::Json)
        .map_err(|e| Error::at(path, line_no, e.column, e.message))?;
    if docs.len() != 1 {
        return Err(Error::at(
            path,
            line_no,
            None,
            "expected one JSON object on the line",
        ));
    }
    let mut doc = docs.remove(0);
    let Some(key) = doc.meta.extra.remove("story") else {
        return Err(Error::at(
            path,
            line_no,
            None,
            "no \"story\" key to group versions by",
        ));
    };
    Ok((key, doc))
}

impl Iterator for JsonlStories {
    type Item = Story;

    fn next(&mut self) -> Option<Story> {
        if self.done {
            return None;
        }
        let Some((first_line, first)) = self.next_line() else {
            self.done = true;
            return None;
        };
        let origin = format!("{}:{first_line}", self.path);
        let (key, doc) = match first {
            Ok(x) => x,
            Err(e) => {
                return Some(Story {
                    key: String::new(),
                    origin,
                    versions: Err(e),
                });
            }
        };
        if !self.seen.insert(key.clone()) {
            return Some(Story {
                key: key.clone(),
                origin,
                versions: Err(Error::at(
                    &self.path,
                    first_line,
                    None,
                    format!(
                        "story {key:?} appears again after another story; a story's lines must be consecutive"
                    ),
                )),
            });
        }
        let mut docs = vec![doc];
        while let Some((n, next)) = self.next_line() {
            match next {
                Ok((k, d)) if k == key => docs.push(d),
                // Another story, or a line that cannot be read (its own failed item: its
                // story key is unknown, so it cannot spoil a neighbour).
                other => {
                    self.pending = Some((n, other));
                    break;
                }
            }
        }
        Some(Story {
            key,
            origin,
            versions: Ok(docs),
        })
    }
}

/// A compared story: its output line and the counts a run summary needs. The
/// comparison itself is dropped in the worker that made it.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// One compact JSON line, newline included: the `compare` schema plus `story`.
    pub line: Vec<u8>,
    /// How many versions the story had.
    pub versions: usize,
    /// How many claims the comparison found.
    pub claims: usize,
    /// How many differences of each kind (by [`crate::compare::DiffKind::as_str`] name).
    pub differences: BTreeMap<&'static str, usize>,
}

/// Compares one story and writes its JSON line (the `compare` schema plus `story`).
pub fn compare_story(
    story: Story,
    opts: &CompareOptions,
    report: &ReportOptions,
) -> Result<Outcome> {
    let docs = story.versions?;
    if docs.len() < 2 {
        return Err(Error::new(
            &story.origin,
            format!("story {:?} has only one version", story.key),
        ));
    }
    let mut ids = std::collections::HashSet::new();
    for d in &docs {
        if !ids.insert(d.id.clone()) {
            return Err(Error::new(
                &d.origin,
                format!("duplicate version id {:?} in story {:?}", d.id, story.key),
            ));
        }
    }
    let cmp = compare(docs, opts)?;
    // A line runs to about two and a half times the versions' text: reserving three
    // times spares the copies of growing it as it is written.
    let text_bytes: usize = cmp.versions.iter().map(|v| v.doc.text.len()).sum();
    let mut line = Vec::with_capacity(3 * text_bytes + 1024);
    let differences = write_story_line(&cmp, report, &story.key, &mut line)
        .map_err(|e| Error::new(&story.origin, e.to_string()))?;
    Ok(Outcome {
        line,
        versions: cmp.versions.len(),
        claims: cmp.claims.len(),
        differences,
    })
}

/// Maps `work` over `items` on the workers of `pool` and hands the results to `sink` in
/// input order, whatever the thread count. Reading (the iterator), working and writing
/// (the sink) overlap; at most `window` items are in flight (read but not yet handed to
/// the sink), so memory stays bounded however slow one item is. The first error from
/// `sink` stops the run and is returned.
pub fn run_ordered<T, R, E>(
    items: impl Iterator<Item = T> + Send,
    pool: &rayon::ThreadPool,
    window: usize,
    work: impl Fn(T) -> R + Sync,
    mut sink: impl FnMut(R) -> std::result::Result<(), E>,
) -> std::result::Result<(), E>
where
    T: Send,
    R: Send,
{
    use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
    use std::sync::Mutex;
    use std::sync::mpsc::sync_channel;

    // Items travel between the reader, the workers and the writer a few at a time: each
    // hand-over may wake a parked thread (a system call and a context switch), and with
    // small items (a story takes about 2 ms) those cost several percent of the run.
    let window = window.max(1);
    let chunk = (window / 2).clamp(1, 4);
    let slots = window / chunk;
    let (slot_tx, slot_rx) = sync_channel::<()>(slots);
    let (work_tx, work_rx) = sync_channel::<(usize, Vec<T>)>(slots);
    let (done_tx, done_rx) = sync_channel::<(usize, Vec<std::thread::Result<R>>)>(slots);
    for _ in 0..slots {
        slot_tx.send(()).expect("the receiver is alive");
    }
    let work_rx = Mutex::new(work_rx);
    let (work, work_rx) = (&work, &work_rx);
    // The writer below owns `slot_tx` and `done_rx`: when it returns early or unwinds,
    // dropping them stops the reader and the workers instead of leaving them blocked.
    std::thread::scope(move |scope| {
        scope.spawn(move || {
            let mut items = items;
            for k in 0.. {
                // A slot frees when the sink has taken a chunk; none comes once it stopped.
                if slot_rx.recv().is_err() {
                    break;
                }
                let batch: Vec<T> = items.by_ref().take(chunk).collect();
                if batch.is_empty() || work_tx.send((k, batch)).is_err() {
                    break;
                }
            }
        });
        scope.spawn(move || {
            pool.scope(|s| {
                for _ in 0..pool.current_num_threads() {
                    let done_tx = done_tx.clone();
                    s.spawn(move |_| {
                        loop {
                            let next = work_rx.lock().map(|rx| rx.recv());
                            let Ok(Ok((k, batch))) = next else { break };
                            let results = batch
                                .into_iter()
                                .map(|item| catch_unwind(AssertUnwindSafe(|| work(item))))
                                .collect();
                            if done_tx.send((k, results)).is_err() {
                                break;
                            }
                        }
                    });
                }
            });
        });
        let mut waiting = BTreeMap::new();
        let mut next = 0;
        for (k, results) in done_rx {
            waiting.insert(k, results);
            while let Some(results) = waiting.remove(&next) {
                for result in results {
                    sink(result.unwrap_or_else(|panic| resume_unwind(panic)))?;
                }
                next += 1;
                // The reader is gone once the input is exhausted.
                let _ = slot_tx.send(());
            }
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, text: &str) -> PathBuf {
        let p = dir.join("corpus.jsonl");
        std::fs::write(&p, text).unwrap();
        p
    }

    #[test]
    fn consecutive_lines_form_stories_and_bad_ones_are_isolated() {
        let d = tempfile::tempdir().unwrap();
        let p = write(
            d.path(),
            "{\"story\": \"a\", \"id\": \"ap\", \"text\": \"One claim here.\"}\n\
             {\"story\": \"a\", \"id\": \"x\", \"text\": \"One claim here.\"}\n\
             \n\
             {\"story\": \"b\", \"id\": \"ap\", \"text\": \"Only one version.\"}\n\
             {\"story\": \"c\", \"id\": \"ap\", \"text\": 5}\n\
             {\"story\": \"a\", \"id\": \"late\", \"text\": \"Again.\"}\n",
        );
        let got: Vec<Story> = stories(&p, &LoadOptions::default()).unwrap().collect();
        assert_eq!(got.len(), 4);
        assert_eq!(got[0].key, "a");
        assert_eq!(got[0].versions.as_ref().unwrap().len(), 2);
        let opts = CompareOptions::default();
        let report = ReportOptions::default();
        let mut it = got.into_iter();
        let out = compare_story(it.next().unwrap(), &opts, &report).unwrap();
        assert_eq!(out.line.last(), Some(&b'\n'));
        let v: serde_json::Value = serde_json::from_slice(&out.line).unwrap();
        assert_eq!(v["story"], "a");
        assert_eq!(v["summary"]["agree"], true);
        let e = compare_story(it.next().unwrap(), &opts, &report).unwrap_err();
        assert!(e.to_string().contains("corpus.jsonl:4"), "{e}");
        let e = compare_story(it.next().unwrap(), &opts, &report).unwrap_err();
        assert!(e.to_string().contains(":5"), "{e}");
        let e = compare_story(it.next().unwrap(), &opts, &report).unwrap_err();
        assert!(e.to_string().contains("must be consecutive"), "{e}");
    }

    fn pool(n: usize) -> rayon::ThreadPool {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()
            .unwrap()
    }

    #[test]
    fn run_ordered_keeps_input_order_with_uneven_work() {
        for threads in [1, 2, 4] {
            let mut got = Vec::new();
            let work = |k: u64| {
                // Early items take longest, so later ones finish first.
                std::thread::sleep(std::time::Duration::from_micros((50 - k % 50) * 20));
                k * k
            };
            run_ordered(0..200u64, &pool(threads), 3, work, |r| {
                got.push(r);
                Ok::<(), ()>(())
            })
            .unwrap();
            assert_eq!(got, (0..200u64).map(|k| k * k).collect::<Vec<_>>());
        }
    }

    #[test]
    fn run_ordered_keeps_at_most_window_items_in_flight() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        for window in [1, 2, 3, 5, 16] {
            let read = AtomicUsize::new(0);
            let items = (0..300u32).inspect(|_| {
                read.fetch_add(1, Ordering::SeqCst);
            });
            let (mut sunk, mut most) = (0, 0);
            run_ordered(
                items,
                &pool(2),
                window,
                |k| k,
                |_| {
                    // The item being handed over is still in flight.
                    most = most.max(read.load(Ordering::SeqCst) - sunk);
                    sunk += 1;
                    Ok::<(), ()>(())
                },
            )
            .unwrap();
            assert_eq!(sunk, 300);
            assert!(most <= window, "window {window}: {most} in flight");
        }
    }

    #[test]
    fn run_ordered_stops_at_the_first_sink_error() {
        let mut taken = 0;
        let r = run_ordered(
            0..10_000u32,
            &pool(2),
            4,
            |k| k,
            |k| {
                taken += 1;
                if k == 5 { Err(k) } else { Ok(()) }
            },
        );
        assert_eq!(r, Err(5));
        assert_eq!(taken, 6);
    }

    #[test]
    fn run_ordered_passes_a_worker_panic_on() {
        let r = std::panic::catch_unwind(|| {
            run_ordered(
                0..1_000u32,
                &pool(2),
                4,
                |k| assert!(k != 7, "item 7"),
                |()| Ok::<(), ()>(()),
            )
        });
        assert!(r.is_err());
    }

    #[test]
    fn a_line_without_a_story_key_is_an_error() {
        let d = tempfile::tempdir().unwrap();
        let p = write(d.path(), "{\"id\": \"ap\", \"text\": \"No key.\"}\n");
        let got: Vec<Story> = stories(&p, &LoadOptions::default()).unwrap().collect();
        let e = got.into_iter().next().unwrap().versions.unwrap_err();
        assert!(e.to_string().contains("no \"story\" key"), "{e}");
    }

    /// Each line `read_line` gives, as `(length, bytes)` or the error message, to the end.
    fn lines_by(
        input: &[u8],
        capacity: usize,
        read: impl Fn(&mut BufReader<&[u8]>) -> io::Result<(usize, Vec<u8>)>,
    ) -> Vec<std::result::Result<(usize, Vec<u8>), String>> {
        let mut reader = BufReader::with_capacity(capacity, input);
        let mut out = Vec::new();
        loop {
            match read(&mut reader) {
                Ok((0, _)) => return out,
                Ok(x) => out.push(Ok(x)),
                Err(e) => out.push(Err(e.to_string())),
            }
        }
    }

    proptest::proptest! {
        /// The memchr line reader with its UTF-8 check gives the lines, lengths and errors
        /// that `BufRead::read_line` gives, whatever the buffer size.
        #[test]
        fn read_line_reads_as_the_std_read_line_does(
            input in proptest::collection::vec(
                proptest::sample::select(vec![b'a', b' ', b'\n', b'\r', 0xC3, 0xA9, 0xFF, b'{']),
                0..200,
            ),
            capacity in 1usize..40,
        ) {
            let ours = lines_by(&input, capacity, |r| {
                let mut line = Vec::new();
                let n = read_line(r, &mut line)?;
                utf8_line(&line)?;
                Ok((n, line))
            });
            let std = lines_by(&input, capacity, |r| {
                let mut line = String::new();
                let n = r.read_line(&mut line)?;
                Ok((n, line.into_bytes()))
            });
            proptest::prop_assert_eq!(ours, std);
        }
    }
}
