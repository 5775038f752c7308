#!/bin/sh
# campaign.sh: short fresh campaigns.  The correct kernels (scripts/variants.sh
# list correct: v6.2) under TSan and under ASan+UBSan (CAMPAIGN_SECONDS
# each, 60 by default) must end with no crash, a status line, and a report.
# Two example variant files in one campaign (CAMPAIGN_FILE_SECONDS, 15),
# a buggy one and its fix: the buggy one's raw crashes are all triaged into
# signatures, each counting at least one minimized program and at least as
# many raw crashes, and the fix has none; a file that is missing or does not
# compile is refused with status 2.  Ends with "campaign: N passed, N failed".
secs=${CAMPAIGN_SECONDS:-60} file_secs=${CAMPAIGN_FILE_SECONDS:-15}
pass=0 fail=0
correct=$(sh scripts/variants.sh list correct | tr '\n' ' ')

# run TMP MAKE-ARG...: make campaign with its corpora, crashes, stories and
# state in TMP; its output in TMP/out, its status in $st.
run() {
	t=$1
	shift
	mkdir "$t/corpus" "$t/regressions"
	make --no-print-directory campaign STATE="$t/state" CORPUS_ROOT="$t/corpus" CRASHES_ROOT="$t/crashes" \
		REGRESSIONS="$t/regressions" "$@" >"$t/out" 2>&1
	st=$?
}

for san in thread address; do
	tmp=$(mktemp -d)
	run "$tmp" VARIANTS="$correct" JOBS=1 SANITIZER=$san SECONDS_TOTAL=$secs
	if [ $st != 0 ]; then
		fail=$((fail + 1)); echo "FAIL campaign $san: status $st: $(tail -3 "$tmp/out")"
	elif ! grep -q 'crashes 0 (+0 dup)' "$tmp/out" || grep -q 'new crash' "$tmp/out" ||
		[ -n "$(ls "$tmp/regressions")" ]; then
		fail=$((fail + 1)); echo "FAIL campaign $san: $correct crashed: $(grep -m3 'new crash' "$tmp/out")"
	elif for v in $correct; do grep -q "^| $v | [0-9]" "$tmp/state/report.md" || echo "$v"; done | grep -q . ||
		[ ! -s "$tmp/state/coverage.png" ]; then
		fail=$((fail + 1)); echo "FAIL campaign $san: no report or plots"
	else
		pass=$((pass + 1))
		echo "campaign $san: $(grep '^\[' "$tmp/out" | tail -1)"
	fi
	rm -rf "$tmp"
done

# triage_row REPORT VARIANT: VARIANT's row of the report's triage table as
# "expected signatures raw programs verdicts as-expected".
triage_row() {
	awk -F' [|] ' -v v="$2" '/^## Triage/ { t = 1 } t && $1 == "| " v { sub(/ [|]$/, "", $7); print $2, $3, $4, $5, $6, $7; exit }' "$1"
}

buggy=variants/examples/lookup-get-page.c fixed=variants/examples/find-get-entry-5.x.c
tmp=$(mktemp -d)
run "$tmp" VARIANTS= VARIANT_FILES="$buggy $fixed" JOBS=1 SECONDS_TOTAL=$file_secs
b=$(triage_row "$tmp/state/report.md" file-lookup-get-page 2>/dev/null)
f=$(triage_row "$tmp/state/report.md" file-find-get-entry-5.x 2>/dev/null)
set -- $b
# Each raw crash is one row of crashes.tsv, with its signature and program.
rows=$(awk -F'\t' '$2 == "file-lookup-get-page" && $5 != "" && $6 ~ /^[0-9a-f]+$/' "$tmp/state/crashes.tsv" 2>/dev/null |
	wc -l)
stories=$(awk -F'\t' 'NR > 1 { print $3 }' "$tmp/state/signatures.tsv" 2>/dev/null | while read -r s; do
	[ -f "$s" ] && echo "$s"; done | wc -l)
# signatures.tsv's rows: each counts raw crashes >= programs >= 1, and
# their raw crashes add up to the rows of crashes.tsv; its programs are
# the distinct program hashes of each signature's rows there.
absorbed=$(awk -F'\t' 'NR > 1 && $2 == "file-lookup-get-page" { if ($4 < $5 || $5 < 1) bad = 1; n += $4 }
	END { print bad ? "bad" : n + 0 }' "$tmp/state/signatures.tsv" 2>/dev/null)
programs=$(awk -F'\t' 'NR > 1 && $2 == "file-lookup-get-page" { print $5 "\t" $6 }' "$tmp/state/crashes.tsv" 2>/dev/null |
	sort -u | cut -f1 | uniq -c | awk '{ print $2, $1 }' | sort)
counted=$(awk -F'\t' 'NR > 1 && $2 == "file-lookup-get-page" { print $1, $5 }' "$tmp/state/signatures.tsv" 2>/dev/null |
	sort)
if [ $st != 0 ]; then
	fail=$((fail + 1)); echo "FAIL campaign files: status $st: $(tail -3 "$tmp/out")"
elif [ "${1:-}" != use-after-free ] || [ "${2:-0}" -lt 1 ] || [ "${3:-0}" -lt "${4:-0}" ] || [ "${4:-0}" -lt 1 ] ||
	[ "$3" != "$rows" ] || [ "$absorbed" != "$rows" ] || [ "$programs" != "$counted" ] ||
	[ "$stories" != "$2" ] || [ "${6:-}" != yes ]; then
	fail=$((fail + 1))
	echo "FAIL campaign files: buggy $buggy: '$b', $rows raw crashes recorded, $absorbed absorbed," \
		"$stories stories; programs per signature '$counted', in crashes.tsv '$programs'"
elif [ "$f" != "ok 0 0 0 - yes" ]; then
	fail=$((fail + 1)); echo "FAIL campaign files: fixed $fixed: '$f'"
else
	pass=$((pass + 1))
	echo "campaign files: $buggy: $2 signature(s) of $3 raw crashes, $4 programs; $fixed: none"
fi
rm -rf "$tmp"

# Bad input: a pattern that matches no file, a file that does not compile.
tmp=$(mktemp -d)
printf 'void __free_pages(struct page *page, unsigned int order)\n{\n\tnot C;\n}\n' >"$tmp/broken.c"
for bad in "$tmp/missing.c:no file matches" "$tmp/broken.c:does not compile"; do
	mkdir "$tmp/run"
	run "$tmp/run" VARIANTS= VARIANT_FILES="${bad%%:*}" JOBS=1 SECONDS_TOTAL=1
	if [ $st = 2 ] && grep -q "${bad#*:}" "$tmp/run/out" && ! grep -q '^campaign:' "$tmp/run/out"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1)); echo "FAIL campaign files: ${bad%%:*}: status $st: $(tail -2 "$tmp/run/out")"
	fi
	rm -rf "$tmp/run"
done
rm -rf "$tmp"
echo "campaign: $pass passed, $fail failed"
[ $fail = 0 ]
