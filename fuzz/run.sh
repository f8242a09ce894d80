#!/usr/bin/env bash
# Runs every fuzz target in turn for SECONDS each (default 600), seeding the corpora from
# the fixtures. Needs the nightly toolchain and cargo-fuzz. Crashes land in
# fuzz/artifacts/<target>/; add each as a regression case in the tests.
#   fuzz/run.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")"
secs="${1:-600}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(segment attribute align load_html load_csv load_markdown load_json load_jsonl load_text)
fi
# Copies every fixture file with extension $1 into $2, named story-file.
copy() {
  for f in ../fixtures/*/*."$1"; do
    cp "$f" "$2/$(basename "$(dirname "$f")")-$(basename "$f")"
  done
}
seed() {
  local t="$1" dir="corpus/$1"
  mkdir -p "$dir"
  case "$t" in
    load_html) copy html "$dir" ;;
    load_json) copy json "$dir" ;;
    load_markdown) copy md "$dir" ;;
    load_csv|load_jsonl)
      printf 'id,source,story,text\na,AP,s1,"MOSCOW (AP) — Talks stalled, officials said."\n' > "$dir/seed.csv"
      printf '{"id":"a","story":"s","text":"One. Two."}\n{"id":"b","sentences":["One."]}\n' > "$dir/seed.jsonl" ;;
    align)
      for story in ../fixtures/*/; do
        files=("$story"*.txt)
        [ -e "${files[0]}" ] || continue
        awk 'FNR==1 && NR>1 {print "|"} {print}' "${files[@]}" > "$dir/$(basename "$story").txt"
      done ;;
    *) copy txt "$dir" ;;
  esac
}
for t in "${targets[@]}"; do
  seed "$t"
  echo "== fuzzing $t for ${secs}s"
  cargo +nightly fuzz run -O "$t" "corpus/$t" -- -max_total_time="$secs" -max_len=20000 -timeout=10 -rss_limit_mb=2048 2>&1 \
    | grep -E "^(#[0-9]+ +(DONE|INITED)|==|SUMMARY|artifact_prefix|Test unit written|Done)" || true
done
