#!/usr/bin/env bash
# `make bench-pdf`: the PDF edition of a 100-article briefing (PDF_ARTICLES changes it): the
# flagship's content and templates plus that many articles of the shared benchmark corpus,
# each with a chart and a table of the flagship's data. Prints the build's wall time with
# and without --pdf, again with nothing changed (the last PDF is kept), and the PDF's page count. Not a test: timings depend on the machine.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
N="${PDF_ARTICLES:-100}"
WORK="$ROOT/bench-work/pdf-$N"
CORPUS_TOOL="${CORPUS_TOOL:-$ROOT/../shared/bench/make_corpus.py}"
[ -f "$CORPUS_TOOL" ] || { echo "bench-pdf: the corpus generator $CORPUS_TOOL is missing"; exit 1; }

swift build -c release --static-swift-stdlib --product dossier >/dev/null
DOSSIER="$ROOT/.build/release/dossier"
rm -rf "$WORK" && mkdir -p "$WORK"
python3 "$CORPUS_TOOL" "$WORK/corpus" "$N" --posts-dir posts >/dev/null
cp -R "$ROOT/Content" "$ROOT/Templates" "$WORK/"
mkdir -p "$WORK/Content/posts"
i=0
for f in "$WORK"/corpus/posts/*.md; do
  i=$((i + 1))
  # The corpus's images are not shipped with it: drop them; add a chart and a table.
  { sed -e '/^!\[/d' -e "s/^draft: false/draft: false\nweight: $((i + 10))/" "$f"
    printf '\n## The evidence\n\n```chart\ndata: sector-adoption\ntype: %s\ntitle: Adoption by sector, case %d\n```\n\n' \
      "$([ $((i % 2)) = 0 ] && echo heatmap || echo dumbbell$'\n'from: South Korea$'\n'to: max)" "$i"
    printf '```table\ndata: policy-framework\ntitle: Policy framework, case %d\n```\n' "$i"
  } > "$WORK/Content/posts/$(basename "$f")"
done
rm -rf "$WORK/corpus"

time_build() {  # label, extra flags
  local start end
  start=$(date +%s.%N)
  "$DOSSIER" build --site "$WORK" --output "$WORK/out" --offline --quiet "${@:2}"
  end=$(date +%s.%N)
  printf '%-28s %6.2f s\n' "$1" "$(echo "$end - $start" | bc)"
}
time_build "build, $N articles" --no-cache
time_build "build --pdf, $N articles" --no-cache --pdf
time_build "build --pdf, nothing changed" --pdf
pdf=$(ls "$WORK"/out/*.pdf)
echo "PDF: $(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}') pages, $(du -h "$pdf" | cut -f1)"
