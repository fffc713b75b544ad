#!/usr/bin/env bash
# usage: tools/snapshot_outputs.sh OUTDIR
# Every format, explain, matrix, heatmap, exit codes, rules test, eval figures and the schemas
# for a few samples and real documents, to diff before and after a refactor (diff -r BEFORE AFTER).
set -u
[ $# -eq 1 ] || { echo "usage: tools/snapshot_outputs.sh OUTDIR" >&2; exit 2; }
OUT=$(realpath -m "$1")
if [ -e "$OUT" ] && [ -n "$(ls -A "$OUT")" ]; then echo "snapshot_outputs: $OUT is not empty" >&2; exit 2; fi
mkdir -p "$OUT"
cd "$(dirname "$0")/.." && . .venv/bin/activate
SRC=${ASSURE_SRC:-$PWD}; export PYTHONPATH=$SRC  # ASSURE_SRC: another checkout (e.g. git archive of main) to snapshot
R=../shared/corpus/real
DOCS="samples/strong.pdf samples/weak.docx samples/mixed.pdf $R/WS-JSNA__ws-jsna-netlify__assets--core--Homelessness-Deaths-Review-West-Sussex-2024.pdf $R/WS-JSNA__ws-jsna-netlify__assets--living-well--Arun_-_Access.docx $R/al26152__Langchain__docs--SharedRIStrategy_Contents_Final.pdf"
export COLUMNS=100 NO_COLOR=1
FMTS=""; for f in text json jsonl markdown html csv junit sarif github gitlab; do FMTS="$FMTS -f $f:$OUT/check.$f"; done
assure check $DOCS -j 1 $FMTS --matrix $OUT/matrix.csv --heatmap $OUT/heatmap.html > /dev/null 2>>$OUT/stderr.txt; echo "formats rc=$?" >> $OUT/rc.txt
assure check $DOCS -j 1 --explain > $OUT/explain.txt 2>>$OUT/stderr.txt; echo "explain rc=$?" >> $OUT/rc.txt
assure check samples/strong.pdf samples/weak.docx -j 1 --matrix $OUT/matrix.md > /dev/null 2>>$OUT/stderr.txt
for fo in gap partial never; do assure check samples/weak.docx samples/strong.pdf -j 1 --fail-on $fo >/dev/null 2>&1; echo "fail-on $fo rc=$?" >> $OUT/rc.txt; done
assure check samples/weak.docx samples/strong.pdf -j 1 --fail-on never --fail-under 50 >/dev/null 2>&1; echo "fail-under rc=$?" >> $OUT/rc.txt
assure rules test -f json > $OUT/rules-test.json; echo "rules test rc=$?" >> $OUT/rc.txt
assure rules test > $OUT/rules-test.txt
assure eval eval/labels --format json > $OUT/eval.json 2>>$OUT/stderr.txt
assure eval eval/labels/heldout --format json > $OUT/eval-heldout.json 2>>$OUT/stderr.txt
cp -r $SRC/assure/schemas $OUT/schemas
assure questions -f json > $OUT/questions.json
