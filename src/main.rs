//! The `claimdiff` command: a thin layer over the library. It parses arguments, calls
//! the pipeline, writes the report (atomically with `--output`), and exits like `diff`:
//! 0 when the versions agree, 1 when they differ, 2 on any error.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use claimdiff::compare::{CompareOptions, compare};
use claimdiff::load::{Columns, LoadOptions, load_path_with, load_versions_with};
use claimdiff::report::{self, Format, ReportOptions};
use claimdiff::segment;

// Comparing a story makes and frees many small strings and vectors; mimalloc's
// thread-local free lists make that cheaper than the system allocator, most of all with
// several workers (`batch`: a fifth less CPU). Its default delay before handing freed
// memory back to the system (a second, in mimalloc 3) is kept: handing it back within a
// millisecond, as `compare` once asked, made 2 x 100k sentences fault 470 MB back in
// (160,000 page faults against 87,000; 1.66 s against 1.56) for a peak of 277 MB
// against 316 (budget 371), and 2 x 10k's peak is 46 MB against 36.
#[global_allocator]
static GLOBAL: MiMalloc = MiMalloc;

/// mimalloc as the global allocator, asked for alignment only when a type needs more
/// than every block has. The `mimalloc` crate's allocator asks for every allocation
/// aligned, and mimalloc's aligned path takes a slower, over-allocating route for
/// blocks above its small size (1 KB): 1.5% of a `batch` run's instructions.
struct MiMalloc;

/// The alignment mimalloc gives every block of at least this many bytes
/// (`MI_MAX_ALIGN_SIZE` on 64-bit targets; smaller blocks are aligned to their rounded
/// size). [`plain`] says when a layout can do with that, as the standard library's
/// `System` allocator decides for `malloc`.
const MI_MAX_ALIGN: usize = 16;

/// Whether a block of `size` bytes from plain `mi_malloc` or `mi_realloc` is aligned to
/// `align`.
fn plain(align: usize, size: usize) -> bool {
    align <= MI_MAX_ALIGN && align <= size
}

// SAFETY: each function forwards to the mimalloc function for the same job, which
// returns null on failure as `GlobalAlloc` expects; the plain functions are used only
// for layouts their blocks are aligned for (`plain`), and `mi_free` frees blocks from
// either path.
unsafe impl std::alloc::GlobalAlloc for MiMalloc {
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        use libmimalloc_sys::{mi_malloc, mi_malloc_aligned};
        // SAFETY: as above.
        unsafe {
            if plain(layout.align(), layout.size()) {
                mi_malloc(layout.size()).cast()
            } else {
                mi_malloc_aligned(layout.size(), layout.align()).cast()
            }
        }
    }

    unsafe fn alloc_zeroed(&self, layout: std::alloc::Layout) -> *mut u8 {
        use libmimalloc_sys::{mi_zalloc, mi_zalloc_aligned};
        // SAFETY: as above.
        unsafe {
            if plain(layout.align(), layout.size()) {
                mi_zalloc(layout.size()).cast()
            } else {
                mi_zalloc_aligned(layout.size(), layout.align()).cast()
            }
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, _layout: std::alloc::Layout) {
        // SAFETY: `ptr` came from this allocator.
        unsafe { libmimalloc_sys::mi_free(ptr.cast()) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new_size: usize) -> *mut u8 {
        use libmimalloc_sys::{mi_realloc, mi_realloc_aligned};
        // SAFETY: `ptr` came from this allocator with `layout`.
        unsafe {
            if plain(layout.align(), new_size) {
                mi_realloc(ptr.cast(), new_size).cast()
            } else {
                mi_realloc_aligned(ptr.cast(), new_size, layout.align()).cast()
            }
        }
    }
}

#[derive(Parser)]
#[command(
    name = "claimdiff",
    version,
    about = "Compare versions of a news story claim by claim"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Align several versions of a story and report what agrees and what differs.
    Compare(CompareArgs),
    /// Split one input into sentences with character offsets.
    Segment(SegmentArgs),
    /// List who said or reported what in each input: source, cue and content spans.
    Attributions(AttributionsArgs),
    /// Compare many stories: a JSONL file with a `story` key per line, or a directory of
    /// story folders. One JSON line per story, in input order.
    Batch(BatchArgs),
    /// Group a pile of articles (JSONL, or a directory of files) into stories by the text
    /// they share: writes the articles as JSONL with a `story` key, ready for `batch`.
    Cluster(ClusterArgs),
}

#[derive(clap::Args)]
struct ClusterArgs {
    /// JSONL file (one article a line), a directory or file of articles, or `-` (JSONL).
    input: PathBuf,
    /// Write the JSON lines to this file (atomically) instead of standard output.
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Worker threads (default: all cores). Output is the same whatever the count.
    #[arg(long, short)]
    jobs: Option<usize>,
    /// Least share (0 to 1) of word shingles two articles must share to be linked.
    #[arg(long, default_value_t = claimdiff::cluster::ClusterOptions::default().threshold, value_parser = unit_interval)]
    threshold: f64,
    /// How the share is measured: of the smaller article (containment) or of both (jaccard).
    #[arg(long, value_enum, default_value = "containment")]
    measure: MeasureArg,
    /// Leave out articles that share a story with no other (`batch` skips them anyway).
    #[arg(long)]
    drop_singletons: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum MeasureArg {
    Containment,
    Jaccard,
}

/// Column names for CSV and TSV inputs.
#[derive(clap::Args, Clone, Default)]
struct ColumnArgs {
    /// CSV/TSV column holding the article text (default: text, content, article_content, body, article).
    #[arg(long, value_name = "NAME")]
    text_column: Option<String>,
    /// CSV/TSV column holding the source or outlet (default: source, outlet, publisher, site_name, media).
    #[arg(long, value_name = "NAME")]
    source_column: Option<String>,
    /// CSV/TSV column holding a stable id (default: id, article_id, doc_id; else file-line).
    #[arg(long, value_name = "NAME")]
    id_column: Option<String>,
    /// CSV/TSV column grouping rows into stories (default: story, story_id).
    #[arg(long, value_name = "NAME")]
    story_column: Option<String>,
}

impl ColumnArgs {
    fn load_options(&self, story: Option<String>) -> LoadOptions {
        LoadOptions {
            columns: Columns {
                text: self.text_column.clone(),
                source: self.source_column.clone(),
                id: self.id_column.clone(),
                story: self.story_column.clone(),
            },
            story,
        }
    }
}

#[derive(clap::Args)]
struct BatchArgs {
    /// JSONL file (one article a line, with a `story` key), a CSV/TSV file with a story
    /// column, or a directory of story folders.
    input: PathBuf,
    #[command(flatten)]
    columns: ColumnArgs,
    /// Write the JSON lines to this file (atomically) instead of standard output.
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Worker threads (default: all cores). Output is the same whatever the count.
    #[arg(long, short)]
    jobs: Option<usize>,
    /// Least similarity (0 to 1) for sentences to carry the same claim.
    #[arg(long, default_value_t = 0.4, value_parser = unit_interval)]
    threshold: f64,
    /// Which claims each story's JSON lists.
    #[arg(long, value_enum, default_value = "all")]
    only: Only,
    /// Compare datelines, bylines, credit lines and other boilerplate as claims.
    #[arg(long)]
    keep_boilerplate: bool,
}

#[derive(clap::Args)]
struct AttributionsArgs {
    /// Inputs: files, directories, or `-` for stdin.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    #[command(flatten)]
    columns: ColumnArgs,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    format: AttributionsFormat,
    /// Write to this file (atomically) instead of standard output.
    #[arg(long, short)]
    output: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum AttributionsFormat {
    Table,
    Json,
}

#[derive(clap::Args)]
struct CompareArgs {
    /// Versions: files (.txt, .md, .json, .jsonl, .html, .csv, .tsv), directories, or `-`
    /// for stdin.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    #[command(flatten)]
    columns: ColumnArgs,
    /// When the inputs hold several stories (a `story` key or column), compare this one.
    #[arg(long, value_name = "KEY")]
    story: Option<String>,
    /// Id of the version to compare the others against (default: role `wire`, else the first).
    #[arg(long)]
    base: Option<String>,
    /// Least similarity (0 to 1) for sentences to carry the same claim.
    #[arg(long, default_value_t = 0.4, value_parser = unit_interval)]
    threshold: f64,
    /// Output format (default: from the `--output` file's extension, else table).
    #[arg(long, value_enum)]
    format: Option<FormatArg>,
    /// Which claims to show.
    #[arg(long, value_enum, default_value = "all")]
    only: Only,
    /// Write the report to this file (atomically) instead of standard output.
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// When to use colour.
    #[arg(long, value_enum, default_value = "auto")]
    color: ColorChoice,
    /// Table width in columns (default: the terminal's, else 120).
    #[arg(long)]
    width: Option<u16>,
    /// Compare datelines, bylines, credit lines and other boilerplate as claims instead
    /// of keeping them out (they are reported either way).
    #[arg(long)]
    keep_boilerplate: bool,
}

#[derive(clap::Args)]
struct SegmentArgs {
    /// The input file, or `-` for stdin.
    input: PathBuf,
    #[command(flatten)]
    columns: ColumnArgs,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: SegmentFormat,
    /// Write to this file (atomically) instead of standard output.
    #[arg(long, short)]
    output: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Table,
    Json,
    Markdown,
    Html,
}

#[derive(Clone, Copy, ValueEnum)]
enum Only {
    Differences,
    All,
}

#[derive(Clone, Copy, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, ValueEnum)]
enum SegmentFormat {
    Text,
    Json,
}

fn unit_interval(s: &str) -> Result<f64, String> {
    let v: f64 = s.parse().map_err(|_| format!("{s:?} is not a number"))?;
    if (0.0..=1.0).contains(&v) {
        Ok(v)
    } else {
        Err(format!("{v} is outside 0 to 1"))
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Compare(args) => run_compare(args),
        Command::Segment(args) => run_segment(args),
        Command::Attributions(args) => run_attributions(args),
        Command::Batch(args) => run_batch(args),
        Command::Cluster(args) => run_cluster(args),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(message) => {
            eprintln!("claimdiff: {message}");
            ExitCode::from(2)
        }
    }
}

fn run_compare(args: CompareArgs) -> Result<u8, String> {
    let lopts = args.columns.load_options(args.story.clone());
    let docs = load_versions_with(&args.inputs, &lopts).map_err(|e| e.to_string())?;
    let mut opts = CompareOptions {
        base: args.base,
        keep_boilerplate: args.keep_boilerplate,
        ..CompareOptions::default()
    };
    opts.align.threshold = args.threshold;
    let cmp = compare(docs, &opts).map_err(|e| e.to_string())?;
    let to_terminal = args.output.is_none() && io::stdout().is_terminal();
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            to_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    let width = args.width.or_else(|| {
        to_terminal
            .then(terminal_size::terminal_size)
            .flatten()
            .map(|(w, _)| w.0)
    });
    let format = match args.format {
        Some(FormatArg::Table) => Format::Table,
        Some(FormatArg::Json) => Format::Json,
        Some(FormatArg::Markdown) => Format::Markdown,
        Some(FormatArg::Html) => Format::Html,
        None => args
            .output
            .as_deref()
            .and_then(Format::from_extension)
            .unwrap_or(Format::Table),
    };
    let ropts = ReportOptions {
        only_differences: matches!(args.only, Only::Differences),
        color,
        width,
    };
    let renderer = report::renderer(format, &ropts);
    emit(args.output.as_deref(), |out| renderer.render(&cmp, out))?;
    let code = if cmp.has_differences() { 1 } else { 0 };
    // The process ends here and the system takes its memory back at once: freeing the
    // comparison's allocations one by one (several for every sentence and claim) would
    // only read them all back in from memory.
    std::mem::forget(cmp);
    Ok(code)
}

fn run_segment(args: SegmentArgs) -> Result<u8, String> {
    let docs =
        load_path_with(&args.input, &args.columns.load_options(None)).map_err(|e| e.to_string())?;
    let split = sentences_of;
    let mut buf = Vec::new();
    match args.format {
        SegmentFormat::Json => {
            let value = if docs.len() == 1 {
                report::json::segments_value(&split(&docs[0]))
            } else {
                let list: Vec<serde_json::Value> = docs
                    .iter()
                    .map(|d| {
                        let mut v = report::json::segments_value(&split(d));
                        v["id"] = serde_json::json!(d.id);
                        v
                    })
                    .collect();
                serde_json::json!({ "documents": list })
            };
            serde_json::to_writer_pretty(&mut buf, &value).map_err(|e| e.to_string())?;
            buf.push(b'\n');
        }
        SegmentFormat::Text => {
            for d in &docs {
                if docs.len() > 1 {
                    buf.extend_from_slice(format!("# {}\n", d.id).as_bytes());
                }
                for s in split(d) {
                    buf.extend_from_slice(s.text.as_bytes());
                    buf.push(b'\n');
                }
            }
        }
    }
    emit(args.output.as_deref(), |out| out.write_all(&buf))?;
    Ok(0)
}

fn run_attributions(args: AttributionsArgs) -> Result<u8, String> {
    let mut docs = Vec::new();
    for input in &args.inputs {
        docs.extend(
            load_path_with(input, &args.columns.load_options(None)).map_err(|e| e.to_string())?,
        );
    }
    let found: Vec<_> = docs
        .iter()
        .map(|d| {
            let sentences = sentences_of(d);
            let attributions = claimdiff::attribute::extract(&d.text, &sentences);
            (sentences, attributions)
        })
        .collect();
    let mut buf = Vec::new();
    match args.format {
        AttributionsFormat::Json => {
            let value = if docs.len() == 1 {
                report::json::attributions_value(&docs[0].text, &found[0].1)
            } else {
                let list: Vec<serde_json::Value> = docs
                    .iter()
                    .zip(&found)
                    .map(|(d, (_, a))| {
                        let mut v = report::json::attributions_value(&d.text, a);
                        v["id"] = serde_json::json!(d.id);
                        v
                    })
                    .collect();
                serde_json::json!({ "documents": list })
            };
            serde_json::to_writer_pretty(&mut buf, &value).map_err(|e| e.to_string())?;
            buf.push(b'\n');
        }
        AttributionsFormat::Table => {
            let mut table = comfy_table::Table::new();
            table
                .load_style(comfy_table::presets::UTF8_FULL_CONDENSED)
                .set_content_arrangement(comfy_table::ContentArrangement::Dynamic)
                .set_width(120)
                .set_header(vec!["version", "#", "kind", "source", "cue", "content"]);
            for (d, (_, attributions)) in docs.iter().zip(&found) {
                let chars: Vec<char> = d.text.chars().collect();
                let span = |s: claimdiff::attribute::Span| -> String {
                    chars[s.start.min(chars.len())..s.end.min(chars.len())]
                        .iter()
                        .collect()
                };
                for a in attributions {
                    let content: Vec<String> = a.content.iter().map(|&c| span(c)).collect();
                    table.add_row(vec![
                        d.id.clone(),
                        a.sentence.to_string(),
                        report::kind_name(a.kind).to_string(),
                        a.source.map(span).unwrap_or_else(|| "–".into()),
                        span(a.cue),
                        content.join(" … "),
                    ]);
                }
            }
            buf.extend_from_slice(format!("{table}\n").as_bytes());
        }
    }
    emit(args.output.as_deref(), |out| out.write_all(&buf))?;
    Ok(0)
}

/// Why `batch` wrote nothing: every story failed (each reported on its own line).
const NOTHING_COMPARED: &str = "no story could be compared";

fn run_batch(args: BatchArgs) -> Result<u8, String> {
    use std::collections::BTreeMap;

    let started = std::time::Instant::now();
    let stories = claimdiff::batch::stories(&args.input, &args.columns.load_options(None))
        .map_err(|e| e.to_string())?;
    let pool = worker_pool(args.jobs)?;
    let mut opts = CompareOptions::default();
    opts.align.threshold = args.threshold;
    opts.keep_boilerplate = args.keep_boilerplate;
    let ropts = ReportOptions {
        only_differences: matches!(args.only, Only::Differences),
        ..ReportOptions::default()
    };
    let progress = if io::stderr().is_terminal() {
        indicatif::ProgressBar::new_spinner()
    } else {
        indicatif::ProgressBar::hidden()
    };
    let (mut ok, mut failed, mut versions, mut claims) = (0usize, 0usize, 0usize, 0usize);
    let mut kinds: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut messages: Vec<String> = Vec::new();
    // Enough stories in flight to keep every worker busy, few enough that memory stays
    // near the largest story.
    let window = (pool.current_num_threads() * 8).max(16);
    let emitted = emit(args.output.as_deref(), |out| {
        claimdiff::batch::run_ordered(
            stories,
            &pool,
            window,
            |story| claimdiff::batch::compare_story(story, &opts, &ropts),
            |result| {
                match result {
                    Ok(outcome) => {
                        ok += 1;
                        versions += outcome.versions;
                        claims += outcome.claims;
                        for (kind, n) in outcome.differences {
                            *kinds.entry(kind).or_default() += n;
                        }
                        out.write_all(&outcome.line)?;
                    }
                    Err(e) => {
                        failed += 1;
                        messages.push(format!("claimdiff: {e}; story skipped"));
                    }
                }
                progress.inc(1);
                if (ok + failed) % 64 == 0 {
                    progress.set_message(format!("{ok} stories compared, {failed} skipped"));
                }
                Ok::<(), io::Error>(())
            },
        )?;
        if ok == 0 {
            // Nothing to keep: fail before the output file is put in place.
            return Err(io::Error::other(NOTHING_COMPARED));
        }
        Ok(())
    });
    progress.finish_and_clear();
    for m in &messages {
        eprintln!("{m}");
    }
    if ok == 0 {
        return Err(format!("{}: {NOTHING_COMPARED}", args.input.display()));
    }
    // Errors here are the output's, and name it.
    emitted?;
    let kinds: Vec<String> = kinds.iter().map(|(k, n)| format!("{k} {n}")).collect();
    eprintln!(
        "claimdiff batch: {ok} stories compared, {failed} skipped; {versions} versions, {claims} claims; differences: {}; {:.2} s",
        if kinds.is_empty() {
            "none".to_string()
        } else {
            kinds.join(", ")
        },
        started.elapsed().as_secs_f64()
    );
    Ok(u8::from(failed > 0))
}

/// A pool of `--jobs` workers (default: all cores).
fn worker_pool(jobs: Option<usize>) -> Result<rayon::ThreadPool, String> {
    let jobs = jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .map_err(|e| format!("cannot start {jobs} workers: {e}"))
}

fn run_cluster(args: ClusterArgs) -> Result<u8, String> {
    use claimdiff::cluster::{self, ClusterOptions, Measure};

    let started = std::time::Instant::now();
    let pool = worker_pool(args.jobs)?;
    let articles = pool
        .install(|| cluster::read_articles(&args.input))
        .map_err(|e| e.to_string())?;
    let opts = ClusterOptions {
        threshold: args.threshold,
        measure: match args.measure {
            MeasureArg::Containment => Measure::Containment,
            MeasureArg::Jaccard => Measure::Jaccard,
        },
        ..ClusterOptions::default()
    };
    let texts: Vec<&str> = articles.iter().map(|a| a.text.as_str()).collect();
    let clustering = pool.install(|| cluster::cluster(&texts, &opts));
    let groups = clustering.groups();
    let single = groups.iter().filter(|g| g.len() == 1).count();
    emit(args.output.as_deref(), |out| {
        let kept = groups
            .iter()
            .filter(|g| !(args.drop_singletons && g.len() == 1));
        // Numbered among the stories written, so keys have no gaps.
        for (n, members) in kept.enumerate() {
            let key = cluster::story_key(n);
            for &i in members {
                serde_json::to_writer(&mut *out, &articles[i].with_story(&key))?;
                out.write_all(b"\n")?;
            }
        }
        Ok(())
    })?;
    eprintln!(
        "claimdiff cluster: {} articles, {} stories ({} with two or more versions, {single} single{}); {:.2} s",
        articles.len(),
        groups.len(),
        groups.len() - single,
        if args.drop_singletons {
            ", left out"
        } else {
            ""
        },
        started.elapsed().as_secs_f64()
    );
    Ok(0)
}

fn sentences_of(d: &claimdiff::load::Document) -> Vec<claimdiff::segment::Sentence> {
    match &d.given_sentences {
        Some(ranges) => segment::from_ranges(&d.text, ranges),
        None => segment::segment(&d.text),
    }
}

/// Writes output through `write`: to the file through a temporary file in the same
/// folder, renamed into place only once complete, so a failure never leaves half a
/// report; or to stdout, where a reader closing the pipe early is not an error.
fn emit(
    output: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), String> {
    let Some(path) = output else {
        let mut out = io::BufWriter::new(io::stdout().lock());
        return match write(&mut out).and_then(|()| out.flush()) {
            Err(e) if e.kind() != io::ErrorKind::BrokenPipe => {
                Err(format!("standard output: cannot write report: {e}"))
            }
            _ => Ok(()),
        };
    };
    let fail = |e: io::Error| format!("{}: cannot write report: {e}", path.display());
    // A device or pipe (`/dev/null`, `/dev/stdout`, a FIFO) is written in place: renaming
    // a temporary file onto it would replace the device with a regular file.
    if let Ok(meta) = std::fs::metadata(path) {
        if meta.is_dir() {
            return Err(format!("{}: is a directory", path.display()));
        }
        if !meta.is_file() {
            let file = std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .map_err(fail)?;
            let mut out = io::BufWriter::new(file);
            return write(&mut out).and_then(|()| out.flush()).map_err(fail);
        }
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let tmp = tempfile::NamedTempFile::new_in(dir).map_err(fail)?;
    let mut out = io::BufWriter::new(tmp);
    write(&mut out).map_err(fail)?;
    let tmp = out.into_inner().map_err(|e| fail(e.into_error()))?;
    // The rename alone keeps a failed run from leaving half a report. No fsync before it:
    // a report is derived data a rerun rebuilds, and waiting for the disk held `batch`
    // 0.04 s of 0.61 (1,000 stories, 92 MB written) with both cores idle.
    tmp.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::alloc::{GlobalAlloc, Layout};

    #[test]
    fn every_block_has_its_layout_s_alignment_and_keeps_its_bytes() {
        for align in [1, 2, 4, 8, 16, 32, 64, 4096] {
            for size in [
                1, 3, 7, 8, 9, 15, 16, 17, 24, 33, 100, 1024, 1025, 5000, 70_000,
            ] {
                let layout = Layout::from_size_align(size, align).expect("a layout");
                let grown = Layout::from_size_align(3 * size, align).expect("a layout");
                // SAFETY: the layouts have a non-zero size; each block is written only
                // within its size and freed once, with the layout it has then.
                unsafe {
                    let p = GLOBAL.alloc(layout);
                    assert!(
                        !p.is_null() && (p as usize).is_multiple_of(align),
                        "{size} {align}"
                    );
                    p.write_bytes(7, size);
                    let q = GLOBAL.realloc(p, layout, 3 * size);
                    assert!(
                        !q.is_null() && (q as usize).is_multiple_of(align),
                        "{size} {align}"
                    );
                    assert!((0..size).all(|i| *q.add(i) == 7));
                    let r = GLOBAL.realloc(q, grown, size.div_ceil(2));
                    assert!(
                        !r.is_null() && (r as usize).is_multiple_of(align),
                        "{size} {align}"
                    );
                    assert!((0..size.div_ceil(2)).all(|i| *r.add(i) == 7));
                    GLOBAL.dealloc(r, Layout::from_size_align(size.div_ceil(2), align).unwrap());
                    let z = GLOBAL.alloc_zeroed(layout);
                    assert!(
                        !z.is_null() && (z as usize).is_multiple_of(align),
                        "{size} {align}"
                    );
                    assert!((0..size).all(|i| *z.add(i) == 0));
                    GLOBAL.dealloc(z, layout);
                }
            }
        }
    }
}
