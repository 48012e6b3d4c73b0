#!/usr/bin/env bash
# `make bench`: builds the shared benchmark corpus (1,000 and 10,000 pages; BENCH_SIZES adds
# 100,000) with Dossier and,
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
SIZES="${BENCH_SIZES:-${SIZES:-1000 10000}}"  # make bench BENCH_SIZES="1000 10000 100000"
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

# As `make build` builds it: the Swift runtime linked statically.
swift build -c release --static-swift-stdlib --product dossier >/dev/null
swift build -c release --static-swift-stdlib --product dossier-bench >/dev/null
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
  mkdir -p "$WORK/out"
  # Builds first: they warm the page cache and leave, for each tool, an output over which
  # the next build writes (Dossier: also a staging folder and a build cache).
  "$DOSSIER" build --site "$d" --quiet >/dev/null 2>&1 || true
  "$DOSSIER" build --site "$d" --quiet >/dev/null 2>&1 || true
  [ "$HAVE_HUGO" = 1 ] && hugo --minify=false -s "$h" --config "$h/config.toml" --quiet >/dev/null 2>&1
  edited="$d/Content/posts/$(ls "$d/Content/posts" | sed -n 2p)"
  cp "$edited" "$WORK/edited.orig"
  for r in $(seq "$RUNS"); do
    # Every page rendered, over the tool's previous output: Hugo as the shared reference
    # figures measure it (public/ from the last build), Dossier with --no-cache. The
    # headline ratio: both do all their work, and neither allocates new files.
    [ "$HAVE_HUGO" = 1 ] && measure "hugo-$n" hugo --minify=false -s "$h" --config "$h/config.toml" --quiet
    measure "dossier_full-$n" "$DOSSIER" build --site "$d" --quiet --no-cache
    [ "$HAVE_CMARK" = 1 ] && measure "cmark-$n" bash -c "cmark \"$d\"/Content/posts/*.md"
    # From nothing, into a new folder, for both tools. Creating ten thousand folders and
    # files costs these machines' ext4 seconds of kernel time for any program (cp -r of
    # the output tree: 2.8–6 s), so these figures say more about the disk than the tools.
    # (Every clean build gets a folder of its own; they are removed at the very end.)
    measure "dossier_clean-$n" "$DOSSIER" build --site "$d" --quiet --output "$WORK/out/dossier-$n-$r"
    [ "$HAVE_HUGO" = 1 ] && measure "hugo_clean-$n" hugo --minify=false -s "$h" --config "$h/config.toml" --quiet -d "$WORK/out/hugo-$n-$r"
    # The floor for a new folder: copying Dossier's finished output tree.
    measure "copy-$n" cp -r "$d/Output" "$WORK/out/copy-$n-$r"
    # Rebuilds with the build cache: nothing changed, and one article's body edited.
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
out = ["| pages | what | median wall | median CPU | peak RSS | pages/s | ratio, wall |", "|---|---|---|---|---|---|---|"]
names = {"dossier_full": "**dossier build --no-cache**, over its last output", "hugo": "**hugo**, over its last output",
         "cmark": "cmark CLI, the Markdown alone",
         "dossier_clean": "dossier build, into a new folder", "hugo_clean": "hugo, into a new folder",
         "copy": "cp -r of the output tree into a new folder (the floor)",
         "dossier_nochange": "dossier build, nothing changed (build cache)", "dossier_edit": "dossier build, one article edited (build cache)"}
def med(key, i=0):
    r = rows.get(key)
    return statistics.median(x[i] for x in r) if r else None
for n in sizes:
    full, hugo, cmark = med(f"dossier_full-{n}"), med(f"hugo-{n}"), med(f"cmark-{n}")
    clean, hclean = med(f"dossier_clean-{n}"), med(f"hugo_clean-{n}")
    ratios = {
        "hugo": f"**{full / hugo:.2f}** (Dossier ÷ Hugo)" if full and hugo else "",
        "cmark": f"**{full / cmark:.2f}** (Dossier ÷ cmark)" if full and cmark else "",
        "hugo_clean": f"{clean / hclean:.2f} (Dossier ÷ Hugo, new folders)" if clean and hclean else "",
        "copy": f"{med(f'copy-{n}') / hclean:.2f} of Hugo's (new folders)" if hclean and med(f"copy-{n}") else "",
        "dossier_nochange": f"{med(f'dossier_nochange-{n}') / hugo:.2f} of Hugo's" if hugo and med(f"dossier_nochange-{n}") else "",
        "dossier_edit": f"{med(f'dossier_edit-{n}') / hugo:.2f} of Hugo's" if hugo and med(f"dossier_edit-{n}") else "",
    }
    for tool in ["dossier_full", "hugo", "cmark", "dossier_clean", "hugo_clean", "copy", "dossier_nochange", "dossier_edit"]:
        r = rows.get(f"{tool}-{n}")
        if not r: continue
        wall = med(f"{tool}-{n}"); cpu = med(f"{tool}-{n}", 1); rss = max(x[2] for x in r) / 1024
        pps = f"{int(n) / wall:,.0f}" if tool not in ("cmark", "copy") else "–"
        out.append(f"| {int(n):,} | {names[tool]} | {wall:.2f} s | {cpu:.2f} s | {rss:,.0f} MiB | {pps} | {ratios.get(tool, '')} |")
print("\n".join(out))
PY
cat "$WORK/results.md"
rm -rf "$WORK/out" "$WORK/edited.orig"

# What the Markdown extensions cost (#13): the 10,000-page corpus with every extension on
# (the default) and off, and a variant with a pipe table and two footnotes on every page.
ext_site() {  # NAME SETTINGS [with-syntax]
  local x="$WORK/ext-$1"
  rm -rf "$x"; cp -r "$WORK/dossier-10000" "$x"; rm -rf "$x/Output" "$x"/.Output* "$x"/Output.*
  printf '%s\n' "$2" >> "$x/Content/site.yaml"
  if [ "${3:-}" = with-syntax ]; then
    for f in "$x"/Content/posts/p*.md; do
      printf '\n| Sector | Level | Change |\n|:--|:-:|--:|\n| Health | Intermediate | +1 |\n| Finance | Advanced | 0 |\n\nA claim.[^a] Another.[^b]\n\n[^a]: A source note.\n[^b]: A second note.\n' >> "$f"
    done
  fi
  "$DOSSIER" build --site "$x" --quiet >/dev/null 2>&1 || true
}
prepare 10000
ext_site on ""; ext_site off "markdown: { tables: false, strikethrough: false, autolinks: false, task_lists: false, tag_filter: false, footnotes: false, callouts: false, heading_attributes: false, definition_lists: false }"
ext_site syntax "" with-syntax
ext_site syntax-off "markdown: { tables: false, strikethrough: false, autolinks: false, task_lists: false, tag_filter: false, footnotes: false, callouts: false, heading_attributes: false, definition_lists: false }" with-syntax
: > "$WORK/ext-times"
for r in $(seq "$RUNS"); do
  for v in off on syntax-off syntax; do
    /usr/bin/time -o "$WORK/time.out" -f "%e %U %S %M" "$DOSSIER" build --site "$WORK/ext-$v" --quiet --no-cache >/dev/null 2>&1 || true
    echo "$v $(tail -1 "$WORK/time.out")" >> "$WORK/ext-times"
  done
done
python3 - "$WORK/ext-times" <<'PY' | tee -a "$WORK/results.md"
import sys, statistics
t = {}
for line in open(sys.argv[1]):
    v, wall, user, sys_, rss = line.split()
    t.setdefault(v, []).append(float(wall))
m = {v: statistics.median(w) for v, w in t.items()}
print(f"\nMarkdown extensions, 10,000 pages, dossier build --no-cache (median of {len(t['off'])}): "
      f"off {m['off']:.2f} s, on {m['on']:.2f} s ({(m['on'] / m['off'] - 1) * 100:+.1f} %); "
      f"with a table and two footnotes on every page: off {m['syntax-off']:.2f} s, on {m['syntax']:.2f} s ({(m['syntax'] / m['syntax-off'] - 1) * 100:+.1f} %)")
PY
rm -rf "$WORK"/ext-on "$WORK"/ext-off "$WORK"/ext-syntax "$WORK"/ext-syntax-off

# Preview latency: file write → reload event (Dossier, a tab on the edited page), and, in
# the same run, Hugo's server: file write → the page's new output on disk (its fast-render
# mode re-renders the pages being viewed first, like ours).
for n in 1000 10000; do
  prepare "$n"
  .build/release/dossier-bench serve-latency "$WORK/dossier-$n" 20 | tee -a "$WORK/results.md"
  if [ "$HAVE_HUGO" = 1 ]; then
    python3 "$ROOT/Tests/BenchSite/hugo-latency.py" "$WORK/hugo-$n" 20 | tee -a "$WORK/results.md"
  fi
done
.build/release/dossier-bench templates . 100000 | tee -a "$WORK/results.md"
echo "bench: figures written to $WORK/results.md"
