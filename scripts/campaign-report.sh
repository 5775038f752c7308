#!/bin/sh
# campaign-report.sh STATE ENGINE SANITIZER: the campaign's summary from its
# state: STATE/report.md (per variant: executions, coverage, corpus, unique
# crashes with links to their stories) and gnuplot PNGs of coverage,
# executions per second and unique crashes over time.
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
	echo "## Unique crashes"
	echo
	if [ -s "$state/signatures.tsv" ]; then
		echo "| signature | variant | story | duplicates | first seen (s) |"
		echo "|---|---|---|---|---|"
		awk -F'\t' '{ printf "| %s | %s | [%s](../../%s) | %s | %s |\n", $1, $2, $3, $3, $4, $5 }' \
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
