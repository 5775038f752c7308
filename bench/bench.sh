#!/bin/bash
# bench.sh REPLAY_RATE_BIN: `make bench`.  Measures, in one run on this
# machine, how fast each way of hunting finds the two races, and how fast the
# fuzz targets run; prints one table, writes it to bench/results.md and draws
# bench/results.png (gnuplot: median time to first violation, log scale).
#
# 1. Time to first violation, BENCH_RUNS runs (10) of each method on each bug,
#    every run capped at BENCH_CAP seconds (60); a capped run counts as the
#    cap.  The bugs: the buggy variants' (scripts/variants.sh list buggy:
#    v5.9 lost-pages and v5.10 double-free).  The methods:
#    - libFuzzer from an empty corpus (-seed=RUN): wall time to exit, no
#      minimization in it; found = a crash-* artifact.  The target's
#      designs side by side: the old one (each input its own schedule
#      alone, libFuzzer's -len_control=100), each change alone, the
#      default (HUNT_WALKS walks per input, engine.sh's -len_control=0) and
#      4 and 8 walks; then from a corpus of the story's program alone (no
#      schedule), old and default, which times finding a schedule apart
#      from finding a program.  Under SANITIZER=thread, old and default on
#      the first bug, BENCH_TSAN_RUNS runs (10), TSAN_OPTIONS
#      halt_on_error=1: a run that ends on a TSan report instead of the
#      checker's verdict would be a race in the harness (counted in the
#      notes; it must be 0);
#    - AFL++ from one zero-byte seed (-s RUN): wall time to exit; found =
#      out/default/crashes/id:*;
#    - pagerace hunt, random and pct (--seed RUN), and pagerace stress, plain
#      and --chaos, on the story programs, each on both cores and pinned to
#      core 0 (taskset -c 0): the time the tool reports (process start
#      excluded), the seconds= of its result line.
#    Median, min, max.  A method stops early once more than half its runs hit
#    the cap: its median (and max) is then the cap whatever the rest would
#    do; the table says how many runs were made.
#    Ratios: median(chaos stress) / median(hunt, the better strategy), on two
#    cores and on one.
# 2. Executions per second on the correct kernel (v6.2, which must never
#    crash), 10 s from an empty corpus, start-up included: libFuzzer with
#    SANITIZER none at 0 walks, and none, address and thread at the
#    default (stat::average_exec_per_sec counts inputs; executions are
#    inputs x (1 + walks)), AFL++ uninstrumented (execs_per_sec of
#    fuzzer_stats); and bench/replay-rate.sh's replays/s of the 2- and
#    3-cpu stories, pinned and floating.
# 3. Executions per second of the kernel-shaped built-in variants against the
#    protothread design of the last commit before them (bench/kernel-shaped.sh,
#    its own table in results.md): ratio goal 0.9.
# 4. Executions to the first report with and without the refcount
#    sanitizer (--refs, PAGERACE_REFS=1) on v5.10 and the codetag example:
#    libFuzzer's executions and seconds, hunt's schedules
#    (bench/refs.sh, its own table in results.md; BENCH_RUNS and BENCH_CAP
#    as above).
# 5. The cost of one execution by part, in instructions, against 98d4f12
#    (bench/exec-cost.sh, its own table in results.md).
# 6. The goals, met or missed, beside the figures.
# BENCH_PARTS selects parts (see below); all by default.
#
# Duration with the defaults: about 48 minutes, most of it plain stress,
# which rarely finds either bug and so runs to the cap (6 runs x 60 s on each
# bug and core setting before the early stop), then AFL++ and libFuzzer on
# v5.10, and 8 for bench/refs.sh.  BENCH_RUNS=5
# BENCH_CAP=30: about 18 minutes; BENCH_RUNS=2 BENCH_CAP=10: about 6.
# Scratch files go to build/bench/ (logs of failed exec/s runs are kept
# there).
set -u
cd "$(dirname "$0")/.." || exit 2
. scripts/engine.sh
engine_env libfuzzer
replay_bin=${1:?usage: bench.sh build/bench-replay-rate}
RUNS=${BENCH_RUNS:-10}
CAP=${BENCH_CAP:-60}
TSAN_RUNS=${BENCH_TSAN_RUNS:-10}
# BENCH_PARTS: the parts to run, of fuzz (libFuzzer's designs and AFL++ on
# the bugs), tools (hunt and stress), rates (exec/s, replays/s),
# kernel-shaped, refs and exec-cost; all by default.  A part left out is
# said in results.md.
PARTS=${BENCH_PARTS:-fuzz tools rates kernel-shaped refs exec-cost}
part() { case " $PARTS " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }
for p in $PARTS; do
	part_ok=
	for q in fuzz tools rates kernel-shaped refs exec-cost; do [ "$p" = "$q" ] && part_ok=1; done
	[ -n "$part_ok" ] || { echo "bench: BENCH_PARTS: unknown part '$p' (fuzz tools rates kernel-shaped refs exec-cost)" >&2; exit 2; }
done
EXEC_SECONDS=10
ROOT=$PWD
WORK=$ROOT/build/bench
BUGGY=$(sh scripts/variants.sh list buggy) || exit 2
CORRECT=$(sh scripts/variants.sh list correct | head -1)
# The story hunt and stress run on, for each buggy variant.
PROG_v5_9=corpus/regressions/wilcox-2021-two-cpus.prog
PROG_v5_10=corpus/regressions/cve-2023-52739-compound.prog
# The libFuzzer goal of each, a median of at most this many seconds.
GOAL_v5_9=1 GOAL_v5_10=5
rm -rf "$WORK"
mkdir -p "$WORK"
ROWS=$WORK/rows.md
PLOT=$WORK/plot.dat
NOTES=$WORK/notes.md
: >"$ROWS"
: >"$NOTES"
declare -A MEDIAN PLOTROW

fuzz_bin() { # ENGINE SANITIZER VARIANT: build the target quietly, print its path
	make -s "build/fuzz/$1-$2/fuzz-$3" ENGINE="$1" SANITIZER="$2" VARIANT="$3" >&2 ||
		echo "- build of build/fuzz/$1-$2/fuzz-$3 failed" >>"$NOTES"
	echo "$ROOT/build/fuzz/$1-$2/fuzz-$3"
}
prog_of() { # VARIANT: its story; a buggy variant without one is an error
	local p=PROG_${1//[.-]/_}
	[ -n "${!p:-}" ] || { echo "bench: no story for $1: set PROG_${1//[.-]/_} in bench/bench.sh" >&2; exit 2; }
	echo "${!p}"
}
goal_of() { local g=GOAL_${1//[.-]/_}; echo "${!g:-}"; }
now() { date +%s.%N; }
since() { echo "$(now) $1" | awk '{ printf "%.3f", $1 - $2 }'; }
fmt() { awk -v v="$1" 'BEGIN { printf(v < 0.1 ? "%.4f" : "%.2f", v) }'; }
row() { echo "| $1 | $2 | $3 | $4 | $5 | $6 | $7 |" >>"$ROWS"; }
goal() { # VALUE OP LIMIT TEXT: "TEXT: met" or "TEXT: missed"
	awk -v v="$1" -v op="$2" -v l="$3" -v t="$4" \
		'BEGIN { ok = op == "<=" ? v <= l : v >= l; print t ": " (ok ? "met" : "missed") }'
}
# The seconds to the find a hunt or stress run reports on its result line;
# nothing when it found no violation.
tool_seconds() {
	local out
	out=$(cat)
	[ "$(echo "$out" | result_key verdict)" = ok ] || echo "$out" | result_key seconds
}

# Runners: RUN_INDEX first; print the seconds to the find, or nothing if capped.
# A design of the fuzz target's: WALKS per input (PAGERACE_WALKS) and
# libFuzzer's -len_control LEN; "old" is the design before issue 14 (the
# input's own schedule alone, libFuzzer's default 100).
run_libfuzzer() { # RUN WALKS LEN CORPUS_FILE|- BIN [TSAN_REPORTS_FILE]
	local d
	d=$(mktemp -d "$WORK/libfuzzer.XXXX")
	mkdir "$d/corpus"
	[ "$4" = - ] || cp "$4" "$d/corpus/"
	local start
	start=$(now)
	(cd "$d" && PAGERACE_WALKS=$2 FUZZ_KILL_AFTER=$((CAP + 30)) libfuzzer "$5" -len_control="$3" \
		-max_total_time="$CAP" -seed="$1" corpus >log 2>&1)
	local t
	t=$(since "$start")
	[ $# -gt 5 ] && grep -q 'WARNING: ThreadSanitizer' "$d/log" && echo >>"$6"
	ls "$d"/crash-* >/dev/null 2>&1 && grep -q '^verdict: ' "$d/log" && echo "$t"
	rm -rf "$d"
}
run_afl() { # RUN BIN
	local d start t
	d=$(mktemp -d "$WORK/afl.XXXX")
	mkdir "$d/in"
	printf '\0' >"$d/in/zero"
	start=$(now)
	(engine_env afl && AFL_BENCH_UNTIL_CRASH=1 FUZZ_KILL_AFTER=$((CAP + 30)) afl_fuzz "$d/in" "$d/out" -s "$1" -V "$CAP" -- "$2" \
		>"$d/log" 2>&1)
	t=$(since "$start")
	if [ ! -f "$d/out/default/fuzzer_stats" ]; then # afl-fuzz refused to start: keep its log
		echo "- afl-fuzz did not start (run counted as capped): see $d/log" >>"$NOTES"
		return
	fi
	ls "$d"/out/default/crashes/id:* >/dev/null 2>&1 && echo "$t"
	rm -rf "$d"
}
run_hunt() { # RUN VARIANT STRATEGY [taskset -c 0]
	local run=$1 v=$2 s=$3 d
	shift 3
	d=$(mktemp -d "$WORK/hunt.XXXX")
	"$@" build/pagerace hunt --variant "$v" --seconds "$CAP" --strategy "$s" --seed "$run" \
		--out "$d" "$(prog_of "$v")" | tool_seconds
	rm -rf "$d"
}
run_stress() { # RUN VARIANT plain|--chaos [taskset -c 0]
	local run=$1 v=$2 chaos=$3
	shift 3
	[ "$chaos" = plain ] && chaos=
	"$@" build/pagerace stress --variant "$v" --seconds "$CAP" $chaos --seed "$run" "$(prog_of "$v")" |
		tool_seconds
}

# measure KEY LABEL VARIANT RUNS GOAL RUNNER ARGS...: the runs, their
# statistics into MEDIAN[KEY], a table row (GOAL: a median of at most GOAL
# seconds, or none if empty), and the plot's median/min/max for LABEL.
measure() {
	local key=$1 label=$2 v=$3 runs=$4 limit=$5 runner=$6 times=() capped=0 i t stats med min max
	shift 6
	for ((i = 1; i <= runs; i++)); do
		t=$("$runner" "$i" "$@")
		[ -n "$t" ] || { t=$CAP; capped=$((capped + 1)); }
		times+=("$t")
		[ $((capped * 2)) -gt "$runs" ] && break
	done
	stats=$(printf '%s\n' "${times[@]}" | sort -g | awk '{ v[NR] = $1 } END {
		m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; print m, v[1], v[NR] }')
	read -r med min max <<<"$stats"
	MEDIAN[$key]=$med
	local runs_text="${#times[@]}/$runs runs, $capped capped"
	[ "${#times[@]}" -lt "$runs" ] && runs_text="$runs_text (stopped: median is the cap)"
	local g=
	[ -n "$limit" ] && g=$(goal "$med" "<=" "$limit" "≤ $limit s")
	local medtext
	medtext=$(fmt "$med")
	[ "$capped" -gt 0 ] && [ "$(fmt "$med")" = "$(fmt "$CAP")" ] && medtext="≥ $CAP (cap)"
	row "$label" "$v $(bug_of "$v")" "$medtext" "$(fmt "$min")" "$(fmt "$max")" "$runs_text" "$g"
	echo "bench: $label, $v: median $med s, $capped/${#times[@]} capped" >&2
	PLOTROW[$label,$v]="$med $min $max"
}
bug_of() { local e; e=$(sh scripts/variants.sh expect "$1"); [ "$e" = ok ] && echo "(none)" || echo "$e"; }
ratio_row() { # LABEL VARIANT STRESS_KEY HUNT_KEY_RANDOM HUNT_KEY_PCT
	local h=$4 best=random r
	awk -v a="${MEDIAN[$5]}" -v b="${MEDIAN[$4]}" 'BEGIN { exit !(a < b) }' && { h=$5; best=pct; }
	r=$(awk -v s="${MEDIAN[$3]}" -v h="${MEDIAN[$h]}" 'BEGIN { printf "%.1f", s / h }')
	row "$1 (hunt $best)" "$2 $(bug_of "$2")" "${r}x" "" "" "medians" "$(goal "$r" ">=" 10 "≥ 10x")"
}

echo "bench: $RUNS runs each, cap $CAP s, parts: $PARTS; building the targets" >&2
TSAN_ON=${BUGGY%%[[:space:]]*}
# The story's program with no schedule, as an input (config 0; lookup on
# cpu 0; remove and alloc 2 on cpu 1; no schedule byte): a corpus of it
# alone times finding a schedule apart from finding a program.
printf '\000\000\000\021\000\041\002\000' >"$WORK/story-program.bin"
WALKS=$(sed -n 's/^#define HUNT_WALKS \([0-9]*\)$/\1/p' src/engines/hunt.h)
[ -n "$WALKS" ] || { echo "bench: no HUNT_WALKS in src/engines/hunt.h" >&2; exit 2; }
for v in $BUGGY; do
	part fuzz || break
	LF=$(fuzz_bin libfuzzer none "$v")
	AFL=$(fuzz_bin afl none "$v")
	# The designs side by side: the old one, each change alone, the
	# default ($WALKS walks, -len_control=$FUZZ_LEN_CONTROL) and more walks.
	measure "lf-old-$v" "libFuzzer, old design (0 walks, -len_control=100)" "$v" "$RUNS" "" \
		run_libfuzzer 0 100 - "$LF"
	measure "lf-len-$v" "libFuzzer, 0 walks, -len_control=0" "$v" "$RUNS" "" run_libfuzzer 0 0 - "$LF"
	measure "lf-walks-$v" "libFuzzer, $WALKS walks, -len_control=100" "$v" "$RUNS" "" \
		run_libfuzzer "$WALKS" 100 - "$LF"
	measure "lf-$v" "libFuzzer (default: $WALKS walks, -len_control=0)" "$v" "$RUNS" "$(goal_of "$v")" \
		run_libfuzzer "$WALKS" 0 - "$LF"
	for w in 4 8; do
		measure "lf-w$w-$v" "libFuzzer, $w walks, -len_control=0" "$v" "$RUNS" "" run_libfuzzer "$w" 0 - "$LF"
	done
	# The split: with the program given, what is left is its schedule.
	measure "lf-prog-old-$v" "libFuzzer from the story's program, old design" "$v" "$RUNS" "" \
		run_libfuzzer 0 100 "$WORK/story-program.bin" "$LF"
	measure "lf-prog-$v" "libFuzzer from the story's program, default" "$v" "$RUNS" "" \
		run_libfuzzer "$WALKS" 0 "$WORK/story-program.bin" "$LF"
	if [ "$v" = "$TSAN_ON" ]; then
		TSAN_LF=$(fuzz_bin libfuzzer thread "$v")
		: >"$WORK/tsan-reports"
		measure "lf-tsan-old-$v" "libFuzzer, TSan, old design" "$v" "$TSAN_RUNS" "" \
			run_libfuzzer 0 100 - "$TSAN_LF" "$WORK/tsan-reports"
		measure "lf-tsan-$v" "libFuzzer, TSan (default)" "$v" "$TSAN_RUNS" 10 \
			run_libfuzzer "$WALKS" 0 - "$TSAN_LF" "$WORK/tsan-reports"
		echo "- libFuzzer under TSan on $v: $(wc -l <"$WORK/tsan-reports") of the runs ended on a" \
			"ThreadSanitizer report instead of the checker's verdict (a race in the harness: must be 0)." \
			>>"$NOTES"
	fi
	measure "afl-$v" "AFL++ ($WALKS walks)" "$v" "$RUNS" "" run_afl "$AFL"
done
for v in $BUGGY; do
	part tools || break
	for s in random pct; do
		measure "hunt-$s-2-$v" "hunt $s" "$v" "$RUNS" "" run_hunt "$v" "$s"
		measure "hunt-$s-1-$v" "hunt $s, 1 core" "$v" "$RUNS" "" run_hunt "$v" "$s" taskset -c 0
	done
	for c in plain --chaos; do
		name=stress
		[ "$c" = --chaos ] && name="stress chaos"
		measure "stress$c-2-$v" "$name" "$v" "$RUNS" "" run_stress "$v" "$c"
		measure "stress$c-1-$v" "$name, 1 core" "$v" "$RUNS" "" run_stress "$v" "$c" taskset -c 0
	done
done
for v in $BUGGY; do
	part tools || break
	ratio_row "chaos stress / hunt, two cores" "$v" "stress--chaos-2-$v" "hunt-random-2-$v" "hunt-pct-2-$v"
	ratio_row "chaos stress / hunt, one core" "$v" "stress--chaos-1-$v" "hunt-random-1-$v" "hunt-pct-1-$v"
done

# exec_rate_libfuzzer SANITIZER WALKS: exec/s row of the correct kernel's
# target.  libFuzzer's exec/s counts inputs; each input of v6.2, which
# never violates, is 1 + WALKS executions of its program, the figure the
# goal is on.
exec_rate_libfuzzer() {
	local bin d rate crash=none lim execs
	bin=$(fuzz_bin libfuzzer "$1" "$CORRECT")
	d=$(mktemp -d "$WORK/exec.XXXX")
	mkdir "$d/corpus"
	(cd "$d" && PAGERACE_WALKS=$2 FUZZ_KILL_AFTER=$((EXEC_SECONDS + 30)) libfuzzer "$bin" \
		-max_total_time=$EXEC_SECONDS -print_final_stats=1 corpus >log 2>&1)
	case $? in 0) ;; 124 | 137) crash="HUNG (killed $((EXEC_SECONDS + 30)) s)" ;; *) crash="CRASHED" ;; esac
	ls "$d"/crash-* >/dev/null 2>&1 && crash="CRASHED"
	# The final statistics, or the last status line's exec/s if it never got there.
	rate=$(awk '/exec\/s: / { r = $0; sub(/.*exec\/s: /, "", r); r += 0 }
		/stat::average_exec_per_sec/ { f = $2 } END { print f != "" ? f : r }' "$d/log")
	execs=$(awk -v r="${rate:-0}" -v w="$2" 'BEGIN { printf "%.0f", r * (1 + w) }')
	case $1 in none) lim=50000 ;; thread) lim=5000 ;; *) lim= ;; esac
	row "executions/s (inputs/s), libFuzzer SANITIZER=$1, $2 walks" "$CORRECT (never crashes)" \
		"$execs (${rate:-?})" "" "" "$EXEC_SECONDS s from an empty corpus, start-up in it, crash: $crash" \
		"$([ -n "$lim" ] && goal "$execs" ">=" "$lim" "≥ $lim")"
	[ "$crash" = none ] || echo "- $CORRECT under libFuzzer SANITIZER=$1: $crash; see $d/log" >>"$NOTES"
	[ "$crash" = none ] && rm -rf "$d"
}
part rates && {
echo "bench: exec/s on $CORRECT" >&2
exec_rate_libfuzzer none 0
for san in none address thread; do exec_rate_libfuzzer "$san" "$WALKS"; done
AFL=$(fuzz_bin afl none "$CORRECT")
d=$(mktemp -d "$WORK/afl-exec.XXXX")
mkdir "$d/in"
printf '\0' >"$d/in/zero"
(engine_env afl && FUZZ_KILL_AFTER=$((EXEC_SECONDS + 30)) afl_fuzz "$d/in" "$d/out" -V $EXEC_SECONDS -- "$AFL" >"$d/log" 2>&1)
rate=$(awk -F: '/^execs_per_sec/ { printf "%.0f", $2 }' "$d/out/default/fuzzer_stats" 2>/dev/null)
crashes=$(awk -F: '/^saved_crashes/ { print $2 + 0 }' "$d/out/default/fuzzer_stats" 2>/dev/null)
row "exec/s, AFL++ SANITIZER=none" "$CORRECT (never crashes)" "${rate:-?}" "" "" \
	"$EXEC_SECONDS s, crash: $([ "${crashes:-0}" = 0 ] && echo none || echo "CRASHED ($crashes)")" ""
if [ -n "$rate" ] && [ "${crashes:-0}" = 0 ]; then rm -rf "$d"; else echo "- AFL++ exec/s run: see $d/log" >>"$NOTES"; fi

echo "bench: replays/s" >&2
BENCH_SECONDS=3 sh bench/replay-rate.sh "$replay_bin" | awk 'NR > 1 {
	printf "| replays/s, pinned (floating, ratio) | %s %s | %s (%s, %s) | | | 3 s each | |\n", $1, $2, $3, $4, $5 }' >>"$ROWS"

}

: >"$WORK/kernel-shaped.md"
part kernel-shaped && {
	echo "bench: kernel-shaped against protothreads" >&2
	bash bench/kernel-shaped.sh "$replay_bin" >"$WORK/kernel-shaped.md"
}

part refs && {
	echo "bench: executions to the first report, with and without --refs" >&2
	# It writes its table to $WORK/refs.md itself (make bench-refs shows the same file).
	bash bench/refs.sh >/dev/null || echo "- bench/refs.sh failed (status $?): no refs table" >>"$NOTES"
}

: >"$WORK/exec-cost.md"
part exec-cost && {
	echo "bench: the cost of one execution, by part, against 98d4f12" >&2
	bash bench/exec-cost.sh >"$WORK/exec-cost.md" 2>"$WORK/exec-cost.log" ||
		echo "- bench/exec-cost.sh failed (status $?): see $WORK/exec-cost.log" >>"$NOTES"
}

# The table, the notes, results.md and the plot.
{
	echo "| measure | variant, bug | median s (or figure) | min s | max s | runs | goal |"
	echo "|---|---|---|---|---|---|---|"
	cat "$ROWS"
} >"$WORK/table.md"
cat "$WORK/table.md"
[ -s "$NOTES" ] && { echo; cat "$NOTES"; }
[ -s "$WORK/kernel-shaped.md" ] && { echo; cat "$WORK/kernel-shaped.md"; }
[ -s "$WORK/refs.md" ] && { echo; cat "$WORK/refs.md"; }
[ -s "$WORK/exec-cost.md" ] && { echo; cat "$WORK/exec-cost.md"; }
{
	echo "# pagerace benchmark"
	echo
	echo "\`make bench\` on $(nproc) cores, $(date -u +%Y-%m-%d): $RUNS runs per method ($TSAN_RUNS under TSan)," \
		"each capped at $CAP s; times are wall time to exit (libFuzzer, AFL++) or the time the tool reports" \
		"(hunt, stress), with no minimization in either.  A capped run counts as the cap.  Parts run: $PARTS" \
		"(of fuzz tools rates kernel-shaped refs exec-cost)."
	echo
	cat "$WORK/table.md"
	[ -s "$NOTES" ] && { echo; cat "$NOTES"; }
	if [ -s "$WORK/kernel-shaped.md" ]; then
		echo
		echo "## Kernel-shaped variants against the protothreads they replaced"
		echo
		cat "$WORK/kernel-shaped.md"
	fi
	if [ -s "$WORK/refs.md" ]; then
		echo
		echo "## Executions to the first report, with and without the refcount sanitizer"
		echo
		cat "$WORK/refs.md"
	fi
	if [ -s "$WORK/exec-cost.md" ]; then
		echo
		echo "## The cost of one execution, by part (bench/exec-cost.sh)"
		echo
		cat "$WORK/exec-cost.md"
	fi
	echo
	echo "![median time to first violation](results.png)"
} >bench/results.md
for label in "libFuzzer, old design (0 walks, -len_control=100)" "libFuzzer (default: $WALKS walks, -len_control=0)" \
	"libFuzzer, TSan, old design" "libFuzzer, TSan (default)" "AFL++ ($WALKS walks)" "hunt random" "hunt pct" "hunt random, 1 core" \
	"hunt pct, 1 core" "stress" "stress, 1 core" "stress chaos" "stress chaos, 1 core"; do
	line="\"$label\""
	for v in $BUGGY; do line="$line ${PLOTROW[$label,$v]:-- - -}"; done
	echo "$line"
done >"$PLOT"
# One bar per buggy variant: columns 2-4 the first's, 5-7 the next's...
series= col=2
for v in $BUGGY; do
	series="$series${series:+, \"\"} using $col:$((col + 1)):$((col + 2))$([ $col = 2 ] && echo ':xtic(1)') title \"$v $(bug_of "$v")\""
	col=$((col + 3))
done
gnuplot <<EOF
set terminal png size 1200,650 font ",11"
set output "bench/results.png"
set title "Time to first violation: median, bars min to max ($RUNS runs, cap $CAP s, $(nproc) cores)"
set ylabel "seconds (log scale)"
set logscale y
set yrange [*:$CAP * 3]
set grid ytics
set datafile missing "-"
set style data histogram
set style histogram errorbars gap 1 lw 1
set style fill solid 0.7 border -1
set xtics rotate by -25 scale 0
set key top left
set arrow from graph 0, first $CAP to graph 1, first $CAP nohead dt 2 lc rgb "red"
set label "cap $CAP s" at graph 0.99, first $CAP * 1.3 right tc rgb "red"
plot "$PLOT"$series
EOF
echo "bench: wrote bench/results.md and bench/results.png" >&2
