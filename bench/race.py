#!/usr/bin/env python3
"""Races the claimdiff binary against the Python peer (`../shared/peers/py_align.py`) on
generated wire-style stories, side by side in one run, and prints Markdown tables.

What is measured, per tool, as whole processes (start-up, reading, segmenting, aligning,
writing the result to a file):
  * wall time and peak RSS of one process (GNU time's %M where installed, else
    `os.wait4`'s ru_maxrss, which also counts the script's own size), on
    two versions of 1k, 5k and 20k sentences; runs alternate claimdiff, peer, claimdiff,
    peer, ... and the tables give medians;
  * a batch of five-version stories of ~40 sentences, one process per story for both
    tools; the table gives stories per second and the largest peak RSS of any story;
  * the same stories as one JSONL file through `claimdiff batch` (all stories in one
    process, all cores), timed whole: stories per second and peak RSS.

With --accuracy it also scores the peer on DEplain-web with the exact-pair protocol of
`examples/evaluate/deplain.rs` and prints it beside claimdiff's own figures (from
`cargo run --release --example evaluate`).

Standard library only; the peer itself needs `pip install pysbd rapidfuzz numpy`.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
import gen_stories  # noqa: E402

SIZES = [1_000, 5_000, 20_000]
QUICK_SIZES = [200, 1_000, 2_000]
STORIES, QUICK_STORIES = 1_000, 50
STORY_SENTENCES, STORY_OUTLETS = 40, 4


def default_claimdiff():
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    return target / "release" / "claimdiff"


def check_peer(peer):
    if not Path(peer).is_file():
        sys.exit(f"race: peer not found at {peer} (pass --peer PATH)")
    probe = subprocess.run([sys.executable, "-c", "import pysbd, rapidfuzz, numpy"],
                           capture_output=True, text=True)
    if probe.returncode != 0:
        sys.exit("race: the peer needs pysbd, rapidfuzz and numpy; install them with\n"
                 f"  {sys.executable} -m pip install pysbd rapidfuzz numpy")


def ensure_claimdiff(path, explicit):
    if not path.exists():
        if explicit:
            sys.exit(f"race: no claimdiff binary at {path}")
        print(f"race: building {path} with cargo build --release", file=sys.stderr)
        subprocess.run(["cargo", "build", "--release", "--bin", "claimdiff"], cwd=ROOT, check=True)


def claimdiff_works(binary, tmp):
    """Whether the binary has a `compare` command that writes a JSON report."""
    a, b, out = tmp / "probe_a.txt", tmp / "probe_b.txt", tmp / "probe.json"
    a.write_text("Officials said 42 people were hurt. The mayor resigned.\n", encoding="utf-8")
    b.write_text("Officials said 45 people were hurt.\n", encoding="utf-8")
    r = subprocess.run([str(binary), "compare", str(a), str(b), "--format", "json",
                        "--output", str(out)], capture_output=True)
    return r.returncode in (0, 1) and out.exists() and out.stat().st_size > 0


def gnu_time():
    """GNU time, if installed: it forks each command from its own small process."""
    path = shutil.which("time") or "/usr/bin/time"
    try:
        ok = subprocess.run([path, "-f", "%M", "-o", os.devnull, "true"],
                            capture_output=True).returncode == 0
    except OSError:
        ok = False
    return path if ok else None


GNU_TIME = gnu_time()


def run(cmd, stdout_path, output=None):
    """Runs one process; returns (wall seconds, peak RSS in MB).

    The peak comes from GNU time when it is installed. `os.wait4`'s own ru_maxrss would
    count the race script too: a child runs in its parent's memory until exec, and Linux
    keeps that high-water mark across exec, so small peaks read as the script's size.

    `output`, the file a command writes with `--output`, is removed before the clock
    starts, as the peer's stdout file is emptied before it starts: on ext4, renaming a
    new report over an existing one makes the rename wait for the new file's data to
    reach the disk (40-60 ms for the batch's 92 MB), which is the filesystem's cost of
    replacing a file, not the tool's."""
    if output is not None:
        Path(output).unlink(missing_ok=True)
    rss_file = Path(str(stdout_path) + ".rss")
    full = [GNU_TIME, "-f", "%M", "-o", str(rss_file), *map(str, cmd)] if GNU_TIME else cmd
    with open(stdout_path, "wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(full, stdout=out, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    # claimdiff exits 1 when the versions differ, which generated outlets always do.
    if proc.returncode not in (0, 1):
        sys.exit(f"race: {' '.join(map(str, cmd))} exited {proc.returncode}\n{err}")
    kib = usage.ru_maxrss  # Linux reports ru_maxrss in KiB.
    if GNU_TIME:
        # The last line; GNU time writes a line before it when the command exits non-zero.
        kib = int(rss_file.read_text().split()[-1])
    return wall, kib / 1024


def write_versions(directory, texts):
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for k, text in enumerate(texts):
        p = directory / ("base.txt" if k == 0 else f"v{k}.txt")
        p.write_text(text, encoding="utf-8")
        paths.append(p)
    return paths


def commands(binary, peer, files, out):
    ours = None
    if binary:
        ours = [str(binary), "compare", *map(str, files), "--format", "json", "--output", str(out)]
    return ours, [sys.executable, str(peer), *map(str, files)]


def race_sizes(binary, peer, sizes, runs, tmp, large_runs=None):
    rows = []
    for n in sizes:
        n_runs = large_runs if large_runs and n >= 20_000 else runs
        files = write_versions(tmp / f"n{n}", gen_stories.versions(n, n, 1))
        ours, theirs = commands(binary, peer, files, tmp / "ours.json")
        times = {"ours": [], "peer": []}
        rss = {"ours": [], "peer": []}
        for _ in range(n_runs):
            for name, cmd in (("ours", ours), ("peer", theirs)):
                if cmd is None:
                    continue
                w, m = run(cmd, tmp / f"{name}.out", tmp / "ours.json")
                times[name].append(w)
                rss[name].append(m)
        print(f"race: {n} sentences done", file=sys.stderr)
        rows.append((f"2 × {n:,} sentences", times, rss, n_runs))
    return rows


def write_jsonl(path, sets):
    """All stories as one JSONL corpus for `claimdiff batch`: one version a line, with
    the same ids (file stems) and texts as the per-story files."""
    with open(path, "w", encoding="utf-8") as out:
        for files in sets:
            story = files[0].parent.name
            for f in files:
                line = {"story": story, "id": f.stem, "text": f.read_text(encoding="utf-8")}
                out.write(json.dumps(line, ensure_ascii=False) + "\n")


def race_one_process_batch(binary, corpus, runs, tmp):
    """Wall times and peak RSS of `claimdiff batch` over the whole corpus."""
    times, rss = [], []
    for _ in range(runs):
        w, m = run([str(binary), "batch", str(corpus), "--output", str(tmp / "batch.jsonl")],
                   tmp / "batch.out", tmp / "batch.jsonl")
        times.append(w)
        rss.append(m)
    return times, rss


def race_batch(binary, peer, stories, runs, tmp):
    lex = gen_stories.Lexicon(1)
    sets = [write_versions(tmp / "stories" / f"{s:04d}",
                           gen_stories.versions(1000 + s, STORY_SENTENCES, STORY_OUTLETS, lex))
            for s in range(stories)]
    write_jsonl(tmp / "stories.jsonl", sets)
    times = {"ours": [], "peer": []}
    rss = {"ours": [], "peer": []}
    for _ in range(runs):
        for name in ("ours", "peer"):
            if name == "ours" and binary is None:
                continue
            start, peak = time.perf_counter(), 0.0
            for files in sets:
                ours, theirs = commands(binary, peer, files, tmp / "ours.json")
                _, m = run(ours if name == "ours" else theirs, tmp / f"{name}.out", tmp / "ours.json")
                peak = max(peak, m)
            times[name].append(time.perf_counter() - start)
            rss[name].append(peak)
    print("race: story batch done", file=sys.stderr)
    return times, rss


def median(xs):
    return statistics.median(xs) if xs else None


def fmt(x, spec):
    return "–" if x is None else format(x, spec)


def machine():
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kib / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    rss = "peak RSS by GNU time" if GNU_TIME else "peak RSS by wait4 (includes the script's own size)"
    return (f"{len(os.sched_getaffinity(0))} CPUs (nproc), {model}{mem}, "
            f"Python {sys.version.split()[0]}; {rss}")


def accuracy(peer, data, tmp):
    """Peer F1 on DEplain-web: (with identical, without identical) as (p, r, f1) each."""
    d = Path(data) / "deplain-web-alignment"
    docs = [json.loads(l) for l in (d / "documents.jsonl").read_text(encoding="utf-8").splitlines() if l.strip()]
    gold = [json.loads(l) for l in (d / "gold_alignments.jsonl").read_text(encoding="utf-8").splitlines() if l.strip()]
    by_id = {}
    for g in gold:
        by_id.setdefault(g["pair_id"], []).append((g["complex_text"].strip(), g["simple_text"].strip()))
    counts = {True: [0, 0, 0], False: [0, 0, 0]}  # correct, predicted, gold
    for doc in sorted(docs, key=lambda x: x["pair_id"]):
        a, b = doc["complex_sentences"], doc["simple_sentences"]
        fa, fb = tmp / "a.json", tmp / "b.json"
        fa.write_text(json.dumps(a), encoding="utf-8")
        fb.write_text(json.dumps(b), encoding="utf-8")
        out = subprocess.run([sys.executable, str(peer), "--pairs", str(fa), str(fb)],
                             capture_output=True, text=True, check=True).stdout
        predicted = [(a[i].strip(), b[j].strip()) for i, j, _ in json.loads(out)]
        for keep_identical, c in counts.items():
            keep = [g for g in by_id.get(doc["pair_id"], []) if keep_identical or g[0] != g[1]]
            left = Counter(keep)
            c[2] += len(keep)
            for p in predicted:
                if not keep_identical and p[0] == p[1]:
                    continue
                c[1] += 1
                if left[p] > 0:
                    left[p] -= 1
                    c[0] += 1
    result = {}
    for keep_identical, (correct, pred, gold_n) in counts.items():
        p = correct / pred if pred else 0.0
        r = correct / gold_n if gold_n else 0.0
        result[keep_identical] = (p, r, 2 * p * r / (p + r) if p + r else 0.0)
    return result


def ours_accuracy(data):
    r = subprocess.run(["cargo", "run", "--quiet", "--release", "--example", "evaluate", "--", str(data)],
                       cwd=ROOT, capture_output=True, text=True)
    if r.returncode != 0:
        return None
    return [l for l in r.stdout.splitlines() if l.startswith("| alignment")]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--claimdiff", type=Path, help="claimdiff binary (default: target/release/claimdiff, "
                    "built if missing; honours CARGO_TARGET_DIR)")
    ap.add_argument("--peer", type=Path, default=ROOT.parent / "shared" / "peers" / "py_align.py")
    ap.add_argument("--runs", type=int, default=3, help="runs per tool and size (default 3)")
    ap.add_argument("--large-runs", type=int, help="runs per tool at 20k sentences and more "
                    "(default: --runs; one peer run at 20k takes about 12 minutes)")
    ap.add_argument("--no-batch", action="store_true", help="skip the story batch")
    ap.add_argument("--batch-runs", type=int, help="runs of the story batch (default: --runs)")
    ap.add_argument("--stories", type=int, help=f"stories in the batch (default {STORIES})")
    ap.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    ap.add_argument("--sizes", help="comma-separated sentence counts (default 1000,5000,20000)")
    ap.add_argument("--accuracy", action="store_true", help="also score the peer on DEplain-web")
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    a = ap.parse_args()

    check_peer(a.peer)
    binary = a.claimdiff or default_claimdiff()
    ensure_claimdiff(binary, a.claimdiff is not None)
    sizes = QUICK_SIZES if a.quick else SIZES
    if a.sizes:
        sizes = [int(x) for x in a.sizes.split(",")]
    stories = a.stories or (QUICK_STORIES if a.quick else STORIES)
    batch_runs = a.batch_runs or a.runs

    tmp = Path(tempfile.mkdtemp(prefix="claimdiff-race-"))
    try:
        if not claimdiff_works(binary, tmp):
            print(f"race: {binary} has no working `compare` command yet; timing the peer only",
                  file=sys.stderr)
            binary = None
        print(f"Machine: {machine()}\n")
        print(f"Runs per cell: {a.runs} (alternating claimdiff, peer); medians.\n")
        print("| input | claimdiff median s | peer median s | ratio peer/claimdiff "
              "| claimdiff peak MB | peer peak MB |")
        print("|---|---|---|---|---|---|")
        for label, times, rss, n_runs in race_sizes(binary, a.peer, sizes, a.runs, tmp,
                                                     a.large_runs):
            if n_runs != a.runs:
                label += f" ({n_runs} run{'s' if n_runs > 1 else ''})"
            ours, theirs = median(times["ours"]), median(times["peer"])
            ratio = theirs / ours if ours and theirs else None
            print(f"| {label} | {fmt(ours, '.3f')} | {fmt(theirs, '.3f')} | {fmt(ratio, '.1f')}× "
                  f"| {fmt(median(rss['ours']), '.0f')} | {fmt(median(rss['peer']), '.0f')} |")
        sys.stdout.flush()

        if not a.no_batch:
            times, rss = race_batch(binary, a.peer, stories, batch_runs, tmp)
            ours, theirs = median(times["ours"]), median(times["peer"])
            print(f"\nBatch: {stories:,} five-version stories of ~{STORY_SENTENCES} sentences, "
                  f"one process per story for both tools; {batch_runs} run(s), medians.\n")
            print("| batch | claimdiff stories/s | peer stories/s | ratio peer/claimdiff "
                  "| claimdiff peak MB | peer peak MB |")
            print("|---|---|---|---|---|---|")
            ratio = theirs / ours if ours and theirs else None
            print(f"| {stories:,} × 5 versions | {fmt(ours and stories / ours, '.1f')} "
                  f"| {fmt(theirs and stories / theirs, '.1f')} | {fmt(ratio, '.1f')}× "
                  f"| {fmt(max(rss['ours'], default=None), '.0f')} | {fmt(max(rss['peer'], default=None), '.0f')} |")
            print("\nBoth tools pay process start-up once per story in that row.")
            if binary is not None:
                bt, br = race_one_process_batch(binary, tmp / "stories.jsonl", a.runs, tmp)
                jobs = len(os.sched_getaffinity(0))
                print(f"\n`claimdiff batch` over the same {stories:,} stories as one JSONL file, one "
                      f"process, {jobs} worker(s) (all CPUs); {a.runs} run(s), median.\n")
                print("| batch | claimdiff stories/s | median s | peak MB |")
                print("|---|---|---|---|")
                print(f"| {stories:,} × 5 versions, `claimdiff batch` | {stories / median(bt):.0f} "
                      f"| {median(bt):.3f} | {max(br):.0f} |")

        if a.accuracy:
            peer_acc = accuracy(a.peer, a.data, tmp)
            print("\nDEplain-web, 90 docs, exact pairs (peer is 1:1 only):\n")
            print("| task | peer P / R / F1 |")
            print("|---|---|")
            for keep, name in ((True, "with identical"), (False, "without identical")):
                p, r, f = peer_acc[keep]
                print(f"| {name} | P {p:.3f} / R {r:.3f} / F1 **{f:.3f}** |")
            rows = ours_accuracy(a.data)
            print("\nclaimdiff (cargo run --release --example evaluate):\n")
            if rows:
                print("| task | claimdiff | published / reference |\n|---|---|---|")
                print("\n".join(rows))
            else:
                print("(the evaluate example did not run)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
