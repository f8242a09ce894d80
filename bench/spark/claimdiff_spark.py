#!/usr/bin/env python3
"""Run `claimdiff batch` over a partitioned JSONL corpus with Apache Spark (PySpark).

  python3 bench/spark/claimdiff_spark.py --input CORPUS --output OUTDIR
      [--binary PATH] [--partitions N] [--jobs-per-task 1] [--master local[2]]
      [-- BATCH-OPTIONS...]
  spark-submit --files target/release/claimdiff bench/spark/claimdiff_spark.py \
      --binary ./claimdiff --input hdfs:///news/2026-*/ --output hdfs:///news/claims

CORPUS is anything `SparkContext.textFile` reads (a file, a directory of part files, a
glob, a comma-separated list): one article a line with a `story` key, as for
`claimdiff batch`, except that a story's lines need not be consecutive.

How: every line is keyed by (story, its position in the corpus) and the lines are
repartitioned by a stable hash of the story (CRC-32, the same on every machine) and
sorted within each partition, so a story never splits across partitions and its
versions keep their input order. Each partition is piped (`RDD.pipe`) through
`claimdiff batch --jobs J /dev/stdin`; its JSON lines (one per story, the `compare`
schema plus `story`) are saved with `saveAsTextFile` in OUTDIR (part-NNNNN files),
partition by partition, not in input order. Per story the result is what a single
`claimdiff batch` run gives, except `versions[].origin`, which names `/dev/stdin:LINE`
instead of the corpus file and line; give each article an `id`, since a default id
comes from its line number.

A story that cannot be compared (one version, duplicate ids) is skipped as `batch`
skips it: the message goes to the executor's stderr. Lines without a `story` key or
that are not JSON objects are skipped here, counted and their first positions shown.
Exit code like `batch`: 0 all stories compared, 1 some skipped, 2 none or an error.
The binary must exist at the same path on every executor (ship it with
`spark-submit --files`, or install it).
"""
import argparse
import json
import os
import shlex
import sys
import zlib


def parse(indexed):
    """(line, position) -> ((story, position), line), or ((None, position), line)."""
    line, pos = indexed
    try:
        value = json.loads(line)
    except ValueError:
        return ((None, pos), line)
    story = value.get("story") if isinstance(value, dict) else None
    if story is None or isinstance(story, (dict, list)):
        return ((None, pos), line)
    # The key as `claimdiff batch` reads it: strings as they are, numbers and booleans
    # as JSON writes them.
    key = story if isinstance(story, str) else json.dumps(story)
    return ((key, pos), line)


def story_partition(partitions):
    def part(key):
        return zlib.crc32(key[0].encode("utf-8")) % partitions

    return part


def pipe_command(binary, jobs, batch_args):
    # An empty partition gets no claimdiff run: `batch` fails on empty input. Exit 1
    # (some stories skipped) and 2 (none comparable here) are the run's business,
    # counted by the driver; anything else (a crash) fails the task.
    script = (
        'bin=$0; jobs=$1; shift; '
        'IFS= read -r first || exit 0; '
        '{ printf "%s\\n" "$first"; cat; } | "$bin" batch --jobs "$jobs" "$@" /dev/stdin; '
        'code=$?; [ "$code" -le 2 ] || exit "$code"'
    )
    return shlex.join(["/bin/sh", "-c", script, binary, str(jobs)] + list(batch_args))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--input", required=True, help="JSONL corpus: path, glob or list")
    ap.add_argument("--output", required=True, help="output directory (must not exist)")
    ap.add_argument("--binary", default="claimdiff",
                    help="claimdiff on every executor (default: claimdiff on PATH)")
    ap.add_argument("--partitions", type=int, default=None,
                    help="partitions of whole stories (default: Spark's parallelism)")
    ap.add_argument("--jobs-per-task", type=int, default=1,
                    help="claimdiff --jobs inside each task (default 1: Spark runs a task per core)")
    ap.add_argument("--master", default=None, help="Spark master, such as local[2]")
    ap.add_argument("batch_args", nargs="*", help="more `claimdiff batch` options, after --")
    args = ap.parse_args(argv)

    from pyspark import SparkConf, SparkContext

    conf = (SparkConf().setAppName("claimdiff-batch")
            .set("spark.ui.enabled", "false")
            .set("spark.ui.showConsoleProgress", "false"))
    if args.master:
        conf.setMaster(args.master)
        if args.master.startswith("local"):
            # One machine: keep the driver on the loopback interface.
            conf.set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1")
    sc = SparkContext.getOrCreate(conf)
    sc.setLogLevel("ERROR")
    try:
        return run(sc, args)
    finally:
        sc.stop()


def run(sc, args):
    binary = args.binary
    if os.sep in binary and os.path.exists(binary):
        binary = os.path.abspath(binary)
    partitions = args.partitions or sc.defaultParallelism

    lines = sc.textFile(args.input).filter(lambda l: l.strip())
    keyed = lines.zipWithIndex().map(parse)
    bad = keyed.filter(lambda kv: kv[0][0] is None)
    good = keyed.filter(lambda kv: kv[0][0] is not None)
    stories_in = sc.accumulator(0)

    def count_stories(rows):
        last = None
        for (story, _), line in rows:
            if story != last:
                stories_in.add(1)
                last = story
            yield line

    command = pipe_command(binary, args.jobs_per_task, args.batch_args)
    env = {"PATH": os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin"),
           "LC_ALL": "C.UTF-8"}
    (good.repartitionAndSortWithinPartitions(partitions, story_partition(partitions))
         .mapPartitions(count_stories)
         .pipe(command, env=env, checkCode=True)
         .saveAsTextFile(args.output))

    stories_out = sc.textFile(args.output).count()
    skipped_lines = bad.count()
    if skipped_lines:
        first = [pos + 1 for (_, pos), _ in bad.take(5)]
        print(f"claimdiff_spark: {skipped_lines} line(s) without a story key or not a JSON "
              f"object skipped (non-blank lines {first}...)", file=sys.stderr)
    skipped = stories_in.value - stories_out
    print(f"claimdiff_spark: {stories_out} stories compared, {skipped} skipped, "
          f"{partitions} partitions; results in {args.output}", file=sys.stderr)
    if stories_out == 0:
        return 2
    return 1 if skipped or skipped_lines else 0


if __name__ == "__main__":
    sys.exit(main())
