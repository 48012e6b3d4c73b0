#!/usr/bin/env bash
# `make bench`: builds the shared benchmark corpus (1,000 and 10,000 pages) with Dossier and,
# where they can be installed, with Hugo and the cmark CLI, alternating the commands in the
# same run, and prints wall time, CPU time, peak memory, pages per second and ratios.
# Figures go to bench-work/results.md. Not a test: timings depend on the machine.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
WORK="$ROOT/bench-work"
CORPUS_TOOL="${CORPUS_TOOL:-$ROOT/../shared/bench/make_corpus.py}"
HUGO_SITE="${HUGO_SITE:-$ROOT/../shared/bench/hugo-site}"
RUNS="${RUNS:-3}"
SIZES="${SIZES:-1000 10000}"
SUDO=$([ "$(id -u)" = 0 ] || echo sudo)

[ -f "$CORPUS_TOOL" ] || { echo "bench: the corpus generator $CORPUS_TOOL is missing"; exit 1; }
install_if_missing() {  # command package
  command -v "$1" >/dev/null 2>&1 && return 0
  echo "bench: installing $2"
  { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$2"; } >/dev/null 2>&1 || true
  command -v "$1" >/dev/null 2>&1
}
[ -x /usr/bin/time ] || install_if_missing /usr/bin/time time || { echo "bench: /usr/bin/time is needed"; exit 1; }
HAVE_HUGO=0; install_if_missing hugo hugo && HAVE_HUGO=1 || echo "bench: Hugo cannot be installed here; skipping the Hugo comparison"
HAVE_CMARK=0; install_if_missing cmark cmark && HAVE_CMARK=1 || echo "bench: the cmark CLI cannot be installed here; skipping the cmark comparison"

swift build -c release --product dossier >/dev/null
swift build -c release --product dossier-bench >/dev/null
DOSSIER="$ROOT/.build/release/dossier"
mkdir -p "$WORK"

# prepare N: a Dossier site and a Hugo site over the same corpus
prepare() {
  local n=$1 d="$WORK/dossier-$1" h="$WORK/hugo-$1"
  if [ ! -f "$d/.ready" ]; then
    rm -rf "$d"
    python3 "$CORPUS_TOOL" "$d" "$n" --posts-dir Content/posts >/dev/null
    cp "$ROOT/Tests/BenchSite/site.yaml" "$ROOT/Tests/BenchSite/index.md" "$d/Content/"
    cp "$ROOT/Tests/BenchSite/posts-index.md" "$d/Content/posts/index.md"
    cp -r "$ROOT/Tests/BenchSite/Templates" "$d/"
    touch "$d/.ready"
  fi
  if [ "$HAVE_HUGO" = 1 ] && [ ! -f "$h/.ready" ]; then
    rm -rf "$h"
    python3 "$CORPUS_TOOL" "$h" "$n" >/dev/null
    cp -r "$HUGO_SITE"/* "$h/"
    touch "$h/.ready"
  fi
}

# measure LABEL COMMAND… → appends "label wall cpu rss_kib" to $WORK/times
measure() {
  local label=$1; shift
  /usr/bin/time -o "$WORK/time.out" -f "%e %U %S %M" "$@" >/dev/null 2>&1 || true
  read -r wall user sys rss < <(tail -1 "$WORK/time.out")
  echo "$label $wall $(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }') $rss" >> "$WORK/times"
}

: > "$WORK/times"
for n in $SIZES; do
  prepare "$n"
  d="$WORK/dossier-$n"; h="$WORK/hugo-$n"
  rm -rf "$WORK/out"; mkdir -p "$WORK/out"
  # Two builds first: they warm the page cache and leave an output, a staging folder and
  # a build cache.
  "$DOSSIER" build --site "$d" --quiet >/dev/null 2>&1 || true
  "$DOSSIER" build --site "$d" --quiet >/dev/null 2>&1 || true
  edited="$d/Content/posts/$(ls "$d/Content/posts" | sed -n 2p)"
  cp "$edited" "$WORK/edited.orig"
  for r in $(seq "$RUNS"); do
    # From nothing, into a new folder: the figure compared with Hugo and cmark. (Removing
    # an output and recreating it at once is slow on the ext4 of our machines for any
    # tool — new inodes skip recently deleted ones — so every clean build, Hugo's too,
    # gets a fresh folder; they are removed at the end.)
    measure "dossier_clean-$n" "$DOSSIER" build --site "$d" --quiet --output "$WORK/out/dossier-$n-$r"
    [ "$HAVE_HUGO" = 1 ] && measure "hugo-$n" hugo --minify=false -s "$h" --config "$h/config.toml" --quiet -d "$WORK/out/hugo-$n-$r"
    [ "$HAVE_CMARK" = 1 ] && measure "cmark-$n" bash -c "cmark \"$d\"/Content/posts/*.md"
    # Rebuilds over the previous output, as a scheduled CI rebuild runs: rendering every
    # page (--no-cache), with nothing changed, and after one article's body was edited.
    measure "dossier_full-$n" "$DOSSIER" build --site "$d" --quiet --no-cache
    "$DOSSIER" build --site "$d" --quiet >/dev/null 2>&1 || true
    measure "dossier_nochange-$n" "$DOSSIER" build --site "$d" --quiet
    printf '\nOne more sentence, run %s.\n' "$r" >> "$edited"
    measure "dossier_edit-$n" "$DOSSIER" build --site "$d" --quiet
    cp "$WORK/edited.orig" "$edited"
    "$DOSSIER" build --site "$d" --quiet >/dev/null 2>&1 || true
  done
done

python3 - "$WORK/times" "$SIZES" "$HAVE_HUGO" "$HAVE_CMARK" > "$WORK/results.md" <<'PY'
import sys, statistics
rows = {}
for line in open(sys.argv[1]):
    label, wall, cpu, rss = line.split()
    rows.setdefault(label, []).append((float(wall), float(cpu), int(rss)))
sizes = sys.argv[2].split()
out = ["| pages | what | median wall | median CPU | peak RSS | pages/s | Dossier clean build ÷ this, wall |", "|---|---|---|---|---|---|---|"]
names = {"dossier_clean": "dossier build, clean (new folder)", "dossier_full": "dossier build --no-cache, over the last output",
         "dossier_nochange": "dossier build, nothing changed (build cache)", "dossier_edit": "dossier build, one article edited (build cache)",
         "hugo": "hugo, clean (new folder)", "cmark": "cmark CLI, Markdown only"}
for n in sizes:
    d = rows.get(f"dossier_clean-{n}")
    if not d: continue
    dw = statistics.median(r[0] for r in d)
    for tool in ["dossier_clean", "dossier_full", "dossier_nochange", "dossier_edit", "hugo", "cmark"]:
        r = rows.get(f"{tool}-{n}")
        if not r: continue
        wall = statistics.median(x[0] for x in r); cpu = statistics.median(x[1] for x in r); rss = max(x[2] for x in r) / 1024
        pps = f"{int(n) / wall:,.0f}" if tool != "cmark" else "–"
        ratio = "–" if tool.startswith("dossier") else f"**{dw / wall:.2f}**"
        out.append(f"| {int(n):,} | {names[tool]} | {wall:.2f} s | {cpu:.2f} s | {rss:,.0f} MiB | {pps} | {ratio} |")
    hugo = rows.get(f"hugo-{n}")
    if hugo:
        hw = statistics.median(x[0] for x in hugo)
        extra = [f"{names[t].split(',', 1)[1].strip()} {statistics.median(x[0] for x in rows[f'{t}-{n}']) / hw:.2f}"
                 for t in ["dossier_full", "dossier_nochange", "dossier_edit"] if rows.get(f"{t}-{n}")]
        out.append(f"| {int(n):,} | rebuilds ÷ Hugo's clean build | | | | | {'; '.join(extra)} |")
print("\n".join(out))
PY
cat "$WORK/results.md"
rm -rf "$WORK/out" "$WORK/edited.orig"

# Preview latency and template rendering.
prepare 1000
.build/release/dossier-bench serve-latency "$WORK/dossier-1000" 20 | tee -a "$WORK/results.md"
.build/release/dossier-bench templates . 100000 | tee -a "$WORK/results.md"
echo "bench: figures written to $WORK/results.md"
