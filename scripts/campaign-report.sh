#!/bin/sh
# campaign-report.sh STATE ENGINE SANITIZER: the campaign's summary from its
# state (scripts/campaign.sh): STATE/report.md (per variant: executions,
# coverage, corpus; its expected verdict beside the signatures found; per
# signature its raw crashes and distinct minimized programs, with a link
# to its story) and gnuplot PNGs of coverage, executions per second and
# unique crashes over time.
state=${1:?usage: campaign-report.sh STATE ENGINE SANITIZER}
engine=${2:-libfuzzer} sanitizer=${3:-none}
report=$state/report.md
variants=$(awk -F'\t' 'NR > 1 { if (!seen[$2]++) print $2 }' "$state/stats.tsv")
{
	echo "# pagerace campaign"
	echo
	echo "Engine $engine, sanitizer $sanitizer, $(cat "$state/elapsed" 2>/dev/null || echo 0) s of campaign" \
		"(over every run of it), written $(date -u '+%Y-%m-%d %H:%M UTC')."
	echo
	echo "| variant | executions | execs/s (last) | coverage | corpus | unique crashes | duplicates |"
	echo "|---|---|---|---|---|---|---|"
	for v in $variants; do
		awk -F'\t' -v v="$v" '$2 == v { last = $0 } END {
			split(last, f, "\t")
			printf "| %s | %s | %s | %s | %s | %s | %s |\n", v, f[3], f[4], f[5], f[6], f[7], f[8] }' \
			"$state/stats.tsv"
	done
	echo
	echo "## Triage"
	echo
	echo "Per variant, the verdict its file says it has (\`pagerace-expect:\`; - when it says none) and what"
	echo "triage made of its raw crashes: a correct one (ok) should have no signature, a buggy one one per bug."
	echo
	echo "| variant | expected | signatures | raw crashes | distinct minimized programs | verdicts found | as expected |"
	echo "|---|---|---|---|---|---|---|"
	for v in $variants; do
		awk -F'\t' -v v="$v" 'FILENAME ~ /variants.tsv$/ { if ($1 == v) e = $3; next }
			FNR == 1 || $2 != v { next }
			FILENAME ~ /crashes.tsv$/ {
				raw++
				if ($6 != "-" && !($6 in progs)) { progs[$6] = 1; np++ }
				if (!($4 in verdicts)) { verdicts[$4] = 1; found = found (found == "" ? "" : ", ") $4 }
				next
			}
			{ sigs++ }
			END {
				if (e == "") e = "-"
				ok = "yes"
				if (e == "-") ok = "-"
				else if (e == "ok" && sigs) ok = "no"
				else if (e != "ok" && !sigs) ok = "no: not found"
				else for (f in verdicts) if (f != e) ok = "no"
				printf "| %s | %s | %d | %d | %d | %s | %s |\n", v, e, sigs, raw, np, found == "" ? "-" : found, ok
			}' "$state/variants.tsv" "$state/crashes.tsv" "$state/signatures.tsv"
	done
	echo
	echo "## Signatures"
	echo
	if [ "$(wc -l <"$state/signatures.tsv")" -gt 1 ]; then
		echo "| signature | variant | raw crashes | distinct minimized programs | story | first seen (s) |"
		echo "|---|---|---|---|---|---|"
		awk -F'\t' 'NR > 1 { link = substr($3, 1, 1) == "/" ? $3 : "../../" $3  # from build/campaign/
			printf "| %s | %s | %s | %s | [%s](%s) | %s |\n", $1, $2, $4, $5, $3, link, $6 }' \
			"$state/signatures.tsv"
	else
		echo "None."
	fi
	echo
	echo "![coverage](coverage.png) ![executions per second](execs.png) ![unique crashes](crashes.png)"
} >"$report"

command -v gnuplot >/dev/null || { echo "campaign-report: no gnuplot, no plots" >&2; exit 0; }
for v in $variants; do
	awk -F'\t' -v v="$v" '$2 == v' "$state/stats.tsv" >"$state/stats-$v.dat"
done
for plot in coverage:5:coverage execs:4:executions/s crashes:7:unique\ crashes; do
	name=${plot%%:*} rest=${plot#*:}
	col=${rest%%:*} title=${rest#*:}
	cmd="set terminal png size 800,450; set output '$state/$name.png'; set key left top;"
	cmd="$cmd set xlabel 'campaign time (s)'; set ylabel '$title'; set title 'pagerace campaign: $title';"
	cmd="$cmd set datafile separator '\t'; plot"
	sep=
	for v in $variants; do
		cmd="$cmd$sep '$state/stats-$v.dat' using 1:$col with linespoints lw 2 title '$v'"
		sep=,
	done
	[ -n "$variants" ] && gnuplot -e "$cmd" 2>>"$state/gnuplot.log"
done
