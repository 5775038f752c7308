#!/bin/bash
# refs.sh: `make bench-refs`, and section 4 of `make bench`.  How much
# sooner the refcount sanitizer (--refs, PAGERACE_REFS=1) reports the two
# bugs whose cause is a touch after the put: v5.10's PageHead read
# (CVE-2023-52739, plainly a double-free) and 51ff4d7486f0's tag read
# (variants/examples/codetag-51ff4d7486f0.c, plainly a use-after-free).
# Without it only the schedule that completes the race crashes; with it
# every schedule where the block is shared reports unreferenced-access.
# Prints a markdown table and writes it to build/bench/refs.md.
#
# Each bug is run BENCH_RUNS times (10) by each method, plain and with refs:
# - libFuzzer from an empty corpus (-seed=RUN), capped at BENCH_CAP seconds
#   (60) and BENCH_MAX_EXECS executions (10,000,000): the executions up to
#   the crash, as libFuzzer counts them (stat::number_of_executed_units,
#   printed as it dies: the crashing input is the last), and the wall time
#   from start to exit.  scripts/engine.sh's libfuzzer does not minimize
#   the crash, so neither figure includes a minimization;
# - pagerace hunt (random, --seed RUN, --seconds BENCH_CAP) on a story where
#   the block gets shared: tries=, the schedules run up to the first report
#   (its minimization after the find is not counted).
# A run must report the verdict its mode expects: unreferenced-access with
# refs, the bug's own without; a run that reports another counts as failed
# (named in the notes, left out of the figures).  A capped run counts as its
# figure at the cap, a lower bound, and so is any statistic such a run sorts
# at or below: it reads "≥".  A method stops early once more than half its
# runs hit the cap (bench.sh's rule); the runs column says how many were
# made.
# libFuzzer's executions to a crash for a seed repeat from run to run (the
# load changes only the time, and whether the time cap cuts a run short).
# Duration with the defaults: about 8 minutes on 2 shared cores (26 under a
# load of 60), most of it plain libFuzzer on v5.10, whose slow seeds reach
# the cap.  Scratch files go to build/bench/refs/.
set -u
cd "$(dirname "$0")/.." || exit 2
. scripts/engine.sh
engine_env libfuzzer
RUNS=${BENCH_RUNS:-10}
CAP=${BENCH_CAP:-60}
MAX_EXECS=${BENCH_MAX_EXECS:-10000000}
ROOT=$PWD
WORK=$ROOT/build/bench/refs
OUT=$ROOT/build/bench/refs.md
rm -rf "$WORK"
mkdir -p "$WORK" || exit 2
ROWS=$WORK/rows.md
NOTES=$WORK/notes.md
: >"$ROWS"
: >"$NOTES"

# The bugs: NAME, the make variable that builds its fuzz target, the hunt
# option naming it, the story hunt runs and the verdict it gives without
# refs.  The codetag story is wilcox-2021-two-cpus.prog, as its header
# says (the compound CVE program takes the head's branch: clean); v5.10's
# is its CVE story.  Each verdict is its file's pagerace-expect line.
BUGS="v5.10 codetag-51ff4d7486f0"
CODETAG=variants/examples/codetag-51ff4d7486f0.c
MAKE_v5_10=VARIANT=v5.10
HUNT_v5_10="--variant v5.10"
STORY_v5_10=corpus/regressions/cve-2023-52739-compound.prog
VERDICT_v5_10=$(sh scripts/variants.sh expect v5.10) || exit 2
MAKE_codetag_51ff4d7486f0=VARIANT_FILE=$CODETAG
HUNT_codetag_51ff4d7486f0="--variant-file $CODETAG"
STORY_codetag_51ff4d7486f0=corpus/regressions/wilcox-2021-two-cpus.prog
VERDICT_codetag_51ff4d7486f0=$(sh scripts/variants.sh expect $CODETAG) || exit 2
of() { local n=$1_${2//[.-]/_}; echo "${!n}"; } # of FIELD BUG

fuzz_bin() { # BUG: build its libFuzzer target quietly (check-variant talks), print its path
	local t
	case $(of MAKE "$1") in VARIANT_FILE=*) t=fuzz-file-$1 ;; *) t=fuzz-$1 ;; esac
	make -s "build/fuzz/libfuzzer-none/$t" ENGINE=libfuzzer SANITIZER=none "$(of MAKE "$1")" >/dev/null ||
		{ echo "refs: build of build/fuzz/libfuzzer-none/$t failed" >&2; exit 2; }
	echo "$ROOT/build/fuzz/libfuzzer-none/$t"
}
now() { date +%s.%N; }
since() { echo "$(now) $1" | awk '{ printf "%.3f", $1 - $2 }'; }

# Runners: RUN WANT ARGS...; print "STATUS FIGURE..." with STATUS found,
# capped or the wrong verdict reported.
run_libfuzzer() { # RUN WANT BIN REFS(0|1): "STATUS EXECUTIONS SECONDS"
	local d start t execs verdict
	d=$(mktemp -d "$WORK/libfuzzer.XXXX")
	mkdir "$d/corpus"
	start=$(now)
	(cd "$d" && PAGERACE_REFS=$4 FUZZ_KILL_AFTER=$((CAP + 30)) libfuzzer "$3" -max_total_time="$CAP" \
		-runs="$MAX_EXECS" -seed="$1" -print_final_stats=1 corpus >log 2>&1)
	t=$(since "$start")
	# The final statistics, or the last status line's #N if it was killed.
	execs=$(awk '/^#[0-9]+/ { n = substr($1, 2) } /^stat::number_of_executed_units:/ { f = $2 }
		END { print f != "" ? f : n + 0 }' "$d/log")
	verdict=$(sed -n 's/^verdict: //p' "$d/log" | head -1)
	if ! ls "$d"/crash-* >/dev/null 2>&1; then
		echo "capped $execs $t"
	elif [ "$verdict" = "$2" ]; then
		echo "found $execs $t"
	else
		echo "${verdict:-no-verdict} $execs $t"
		echo "- libFuzzer, $(basename "$3"), PAGERACE_REFS=$4, -seed=$1: crashed with ${verdict:-no verdict}," \
			"not $2: a failed run, left out; log kept in $d/log" >>"$NOTES"
		return
	fi
	rm -rf "$d"
}
run_hunt() { # RUN WANT BUG [--refs]: "STATUS TRIES"
	local d out verdict tries
	d=$(mktemp -d "$WORK/hunt.XXXX")
	# shellcheck disable=SC2046 # the hunt option is two words
	out=$(build/pagerace hunt $(of HUNT "$3") --seconds "$CAP" --strategy random --seed "$1" \
		--out "$d" "${@:4}" \
		"$(of STORY "$3")" 2>&1)
	rm -rf "$d"
	verdict=$(echo "$out" | result_key verdict)
	tries=$(echo "$out" | result_key tries)
	case $verdict in
	ok) echo "capped $tries" ;;
	"$2") echo "found $tries" ;;
	*)
		echo "${verdict:-no-result} ${tries:-0}"
		echo "- hunt $3 ${4:-plain} --seed $1: ${verdict:-no result line}, not $2: a failed run, left out" >>"$NOTES"
		;;
	esac
}

# measure FILE RUNNER ARGS...: up to RUNS runs into FILE, one line each;
# stops once more than half are capped.
measure() {
	local file=$1 runner=$2 capped=0 i line
	shift 2
	: >"$file"
	for ((i = 1; i <= RUNS; i++)); do
		line=$("$runner" "$i" "$@")
		echo "$line" >>"$file"
		[ "${line%% *}" = capped ] && capped=$((capped + 1))
		[ $((capped * 2)) -gt "$RUNS" ] && break
	done
}
# stats FILE COLUMN: "MEDIAN C MIN C MAX C" of COLUMN over the runs that
# found or were capped, each C 1 when that figure is only a lower bound: a
# capped run's figure would have grown, so a statistic is one when a capped
# run sorts at or below it; "- 0 - 0 - 0" when there are none.
stats() {
	awk -v c="$2" '$1 == "found" || $1 == "capped" { print $c, ($1 == "capped") }' "$1" | sort -g |
		awk '{ v[NR] = $1; k[NR] = $2 } END {
			if (!NR) { print "- 0 - 0 - 0"; exit }
			hi = int(NR / 2) + 1
			m = NR % 2 ? v[hi] : (v[hi - 1] + v[hi]) / 2
			for (i = 1; i <= NR; i++) { if (i <= hi) mc = mc || k[i]; xc = xc || k[i] }
			print m, mc + 0, v[1], k[1], v[NR], xc + 0 }'
}
cells() { # VALUE C VALUE C VALUE C: the three cells, a capped figure as "≥ figure"
	while [ $# -gt 0 ]; do
		if [ "$1" = - ]; then
			printf ' - |'
		else
			awk -v v="$1" -v c="$2" 'BEGIN { printf(" %s" (v == int(v) ? "%d" : "%.2f") " |", c ? "≥ " : "", v) }'
		fi
		shift 2
	done
}
runs_text() { # FILE: "N/RUNS, C capped[, F failed]"
	awk -v r="$RUNS" '{ n++ } $1 == "capped" { c++ } $1 != "found" && $1 != "capped" { f++ }
		END { printf "%d/%d, %d capped%s", n, r, c, f ? ", " f " failed" : "" }' "$1"
}
# row BUG WHAT PLAIN_FILE REFS_FILE COLUMN: one figure, plain against refs,
# and the ratio of the medians: a lower bound when only plain's median is
# capped, an upper one when only refs' is, none when both are.
row() {
	local p r ratio
	p=$(stats "$3" "$5")
	r=$(stats "$4" "$5")
	ratio=$(awk -v p="$p" -v r="$r" 'BEGIN { split(p, a, " "); split(r, b, " ")
		if (a[1] == "-" || b[1] == "-" || b[1] <= 0 || (a[2] && b[2])) { print "-"; exit }
		pre = a[2] ? "≥ " : b[2] ? "≤ " : ""
		printf "%s%.1fx\n", pre, a[1] / b[1] }')
	# shellcheck disable=SC2086 # the figures are words
	echo "| $1 | $2 |$(cells $p)$(cells $r) $ratio | $(runs_text "$3"); $(runs_text "$4") |" >>"$ROWS"
}

echo "refs: $RUNS runs each, cap $CAP s and $MAX_EXECS executions; building the targets" >&2
make -s build/pagerace || exit 2
for bug in $BUGS; do
	bin=$(fuzz_bin "$bug") || exit 2
	plain=$(of VERDICT "$bug")
	for mode in plain refs; do
		want=$plain refs=0 flag=
		[ $mode = refs ] && want=unreferenced-access refs=1 flag=--refs
		echo "refs: $bug, $mode: libFuzzer" >&2
		measure "$WORK/$bug-$mode-libfuzzer" run_libfuzzer "$want" "$bin" "$refs"
		echo "refs: $bug, $mode: hunt on $(of STORY "$bug")" >&2
		measure "$WORK/$bug-$mode-hunt" run_hunt "$want" "$bug" $flag
	done
	label="$bug ($plain)"
	row "$label" "libFuzzer: executions to the crash" \
		"$WORK/$bug-plain-libfuzzer" "$WORK/$bug-refs-libfuzzer" 2
	row "$label" "libFuzzer: wall seconds to exit at the crash" \
		"$WORK/$bug-plain-libfuzzer" "$WORK/$bug-refs-libfuzzer" 3
	row "$label" "hunt on $(basename "$(of STORY "$bug")"): schedules to the report" \
		"$WORK/$bug-plain-hunt" "$WORK/$bug-refs-hunt" 2
done

{
	echo "Executions to the first report with and without the refcount sanitizer (bench/refs.sh," \
		"$(date -u +%Y-%m-%d), $(nproc) cores): $RUNS runs per method and mode (-seed=RUN, --seed RUN)," \
		"each capped at $CAP s (libFuzzer also at $MAX_EXECS executions).  Plain: the bug's own verdict;" \
		"refs (PAGERACE_REFS=1, --refs): unreferenced-access.  libFuzzer starts from an empty corpus;" \
		"its executions are counted up to and with the crashing input, its time is wall time to exit" \
		"(no minimization runs); hunt's figure is tries=, the random schedules run up to the report."
	echo
	echo "| bug (plain verdict) | figure | plain median | min | max | refs median | min | max |" \
		"plain / refs (medians) | runs made: plain; refs |"
	echo "|---|---|---|---|---|---|---|---|---|---|"
	cat "$ROWS"
	[ -s "$NOTES" ] && { echo; cat "$NOTES"; }
} >"$OUT"
cat "$OUT"
