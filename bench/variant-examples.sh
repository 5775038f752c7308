#!/bin/bash
# variant-examples.sh: `make bench-variants`.  For each example variant file
# in variants/examples/, the time libFuzzer takes from an empty corpus to
# catch it (RUNS runs, 10; each capped at CAP seconds, 60; a capped run
# counts as the cap), median, min and max; a fixed one (*fixed*.c) runs once
# for CAP seconds and must not crash.
# Prints a table and writes it to bench/variant-examples.md.
set -u
. scripts/engine.sh
engine_env libfuzzer
RUNS=${BENCH_RUNS:-10} CAP=${BENCH_CAP:-60}
ROOT=$(pwd)
out=bench/variant-examples.md
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
{
	echo "# Example variants: time for libFuzzer to catch each, from an empty corpus"
	echo
	echo "$RUNS runs each (-seed=1..$RUNS), capped at $CAP s, wall time to exit; $(date -u '+%Y-%m-%d'), 2 cores."
	echo
	echo "| variant file | verdict | median s | min s | max s | runs |"
	echo "|---|---|---|---|---|---|"
} >"$out"
for f in variants/examples/*.c; do
	name=file-$(basename "$f" .c)
	make -s "build/fuzz/libfuzzer-none/fuzz-$name" VARIANT_FILE="$f" >/dev/null || exit 2
	bin=$ROOT/build/fuzz/libfuzzer-none/fuzz-$name
	times=() verdict=none capped=0 runs=$RUNS
	case "$f" in *fixed*) runs=1 ;; esac
	for i in $(seq "$runs"); do
		d=$(mktemp -d "$work/run.XXXX")
		mkdir "$d/corpus"
		start=$(date +%s.%N)
		(cd "$d" && FUZZ_KILL_AFTER=$((CAP + 30)) libfuzzer "$bin" -max_total_time="$CAP" -seed="$i" corpus \
			>log 2>&1)
		t=$(echo "$(date +%s.%N) $start" | awk '{ printf "%.3f", $1 - $2 }')
		if ls "$d"/crash-* >/dev/null 2>&1; then
			verdict=$(sed -n 's/^verdict: //p' "$d/log" | head -1)
		else
			t=$CAP capped=$((capped + 1))
		fi
		times+=("$t")
		rm -rf "$d"
	done
	stats=$(printf '%s\n' "${times[@]}" | sort -g | awk '{ v[NR] = $1 } END {
		m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf "%.2f | %.2f | %.2f", m, v[1], v[NR] }')
	echo "| $f | $verdict | $stats | $runs runs, $capped capped |" >>"$out"
done
cat "$out"
