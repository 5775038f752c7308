#!/bin/bash
# exec-cost.sh: what one execution of the v6.2 fuzz target (libFuzzer,
# SANITIZER=none) costs, by part, for main's design at BENCH_OLD_COMMIT
# (default 98d4f12, exported to build/ and built as bench/kernel-shaped.sh
# builds its old commit) beside this tree's; then both targets' exec/s.
#
# Instructions: each target under callgrind, -seed=1 -runs=BENCH_CG_RUNS
# from one fixed corpus (made once by the old target), so both run the
# same mutations of the same inputs while their coverage agrees (the
# "same inputs" line says whether it did): -entropic=0 -reduce_inputs=0
# -reload=0, libFuzzer's choices that weigh time, which callgrind
# stretches unevenly, are off.  Callgrind serializes the
# scheduler's threads, which leaves instruction counts exact.  A figure
# per execution is a function's inclusive cost over the whole run divided
# by the executions (calls of LLVMFuzzerTestOneInput); the parts are
# defined in the table by what they include.  memset's large clears are
# rep stosb, which callgrind counts byte by byte: they weigh more here
# than on the clock.  Start-up (loader, libFuzzer's set-up) is apart.
#
# exec/s: each target from an empty corpus, -seed=R -runs=BENCH_RATE_RUNS,
# old and new alternating for BENCH_ROUNDS rounds, both pinned to CPU
# BENCH_CPU (PAGERACE_CPU, as the target pins itself); the figure is the
# executions over the process's wall time, start-up included, median of
# the rounds, and the median of the rounds' ratios.  Context switches per
# execution from perf stat when the machine has perf.  Alone:
# `make bench-exec-cost`; about 2 minutes.
set -u
cd "$(dirname "$0")/.." || exit 2
# One input is one execution in both designs: the walks each input
# stands for since (hunt_input) are off, so the figures compare the
# executor, not how many schedules an input runs.
export PAGERACE_WALKS=0
OLD_COMMIT=${BENCH_OLD_COMMIT:-98d4f12}
CG_RUNS=${BENCH_CG_RUNS:-10000}
RATE_RUNS=${BENCH_RATE_RUNS:-100000}
ROUNDS=${BENCH_ROUNDS:-5}
CPU=${BENCH_CPU:-0}
dir=build/exec-cost
old_dir=$dir/old-$OLD_COMMIT
# Valgrind 3.19 reads no DWARF 5, clang-19's default: the same code, with
# DWARF 4.
target=build/exec-cost/fuzz-v6.2
build_target() {
	make -s -C "$1" "$target" FUZZ_BIN="$target" FUZZ_CFLAGS="-O2 -gdwarf-4 -fno-omit-frame-pointer" \
		ENGINE=libfuzzer SANITIZER=none VARIANT=v6.2 >/dev/null
}

if ! command -v valgrind >/dev/null; then
	echo "exec-cost: valgrind is missing; installing it (scripts/install-deps.sh valgrind)" >&2
	sh scripts/install-deps.sh valgrind || exit 2
fi
mkdir -p "$dir" || exit 2
if [ ! -x "$old_dir/$target" ]; then
	rm -rf "$old_dir" && mkdir -p "$old_dir" || exit 2
	git archive "$OLD_COMMIT" | tar -x -C "$old_dir" || { echo "exec-cost: cannot export $OLD_COMMIT" >&2; exit 2; }
	build_target "$old_dir" || { echo "exec-cost: $OLD_COMMIT does not build" >&2; exit 2; }
fi
build_target . || { echo "exec-cost: this tree does not build" >&2; exit 2; }
old=$old_dir/$target
new=$target

if [ ! -d "$dir/corpus" ]; then
	mkdir -p "$dir/corpus.tmp" && PAGERACE_CPU=$CPU "$old" -seed=1 -runs=3000 "$dir/corpus.tmp" >/dev/null 2>&1 &&
		mv "$dir/corpus.tmp" "$dir/corpus" || { echo "exec-cost: no corpus" >&2; exit 2; }
fi

# profile NAME BIN: BIN under callgrind; its functions' costs, one
# "incl|calls|edge NAME [CALLEE] N" a line, in $dir/NAME.costs, and its
# last libFuzzer status line in $dir/NAME.status.
profile() {
	rm -rf "$dir/run" && cp -r "$dir/corpus" "$dir/run" || exit 2
	PAGERACE_CPU=$CPU valgrind --tool=callgrind --callgrind-out-file="$dir/$1.cg" "$2" -seed=1 -runs="$CG_RUNS" \
		-entropic=0 -reduce_inputs=0 -reload=0 "$dir/run" >/dev/null 2>"$dir/$1.log" || { echo "exec-cost: $2 failed under callgrind" >&2; exit 2; }
	grep -E '^#[0-9]+[[:space:]]+DONE' "$dir/$1.log" | sed -E 's/.*(cov: [0-9]+ ft: [0-9]+).*/\1/' >"$dir/$1.status"
	callgrind_annotate --tree=calling --inclusive=yes --threshold=100 --auto=no "$dir/$1.cg" 2>/dev/null | awk '
		function name(s) { sub(/ \[[^]]*\]$/, "", s); sub(/ \([0-9,]+x\)$/, "", s); sub(/^ *[^:]*:/, "", s); sub(/\(.*/, "", s); return s }
		function num(s) { gsub(/,/, "", s); return s + 0 }
		{ cost = num($1) }
		/PROGRAM TOTALS/ { print "total", cost }
		/%\)  \*  / { fn = name(substr($0, index($0, "%)  *  ") + 7)); print "incl", fn, cost }
		/%\)  >   / { callee = name(substr($0, index($0, "%)  >   ") + 8)); n = $0; sub(/.*\(/, "", n); sub(/x\).*/, "", n)
			n = num(n); print "edge", fn, callee, cost; print "calls", callee, n }' >"$dir/$1.costs"
}
profile old "$old"
profile new "$new"

# The table: each part from the costs.
awk -v old="$dir/old.costs" -v new="$dir/new.costs" -v oc="$OLD_COMMIT" \
	-v os="$(cat "$dir/old.status")" -v ns="$(cat "$dir/new.status")" '
function load(f, k,   a) {
	while ((getline line < f) > 0) {
		split(line, a, " ")
		if (a[1] == "total") T[k] = a[2]
		# A function whose code comes from several files (inlined
		# headers) has an entry for each, and one, named by the
		# absolute path, for their sum: the largest.
		else if (a[1] == "incl") { if (a[3] > I[k, a[2]]) I[k, a[2]] = a[3] }
		else if (a[1] == "calls") C[k, a[2]] += a[3]
		else if (a[1] == "edge") E[k, a[2], a[3]] += a[4]
	}
}
function parts(k,   n) {
	n = C[k, "LLVMFuzzerTestOneInput"]
	N[k] = n
	P[k, "total"] = (I[k, "LLVMFuzzerTestOneInput"] + I[k, "start_thread"]) / n
	P[k, "decode"] = I[k, "program_decode"] / n
	checker = I[k, "check_step"] + I[k, "lost_pages_check"] - E[k, "lost_pages_check", "check_step"] + I[k, "lost_pages_release"]
	inside = E[k, "close_step", "check_step"]
	P[k, "checker"] = checker / n
	P[k, "sched"] = (I[k, "sched_run"] + I[k, "worker"] - I[k, "run_cpu"] + I[k, "sched_step_end"]) / n
	P[k, "ops"] = (I[k, "run_cpu"] - I[k, "sched_step_end"] - inside) / n
	P[k, "reset"] = (I[k, "exec_run_strategy"] - I[k, "sched_run"] - (checker - inside)) / n
	P[k, "feedback"] = I[k, "feedback_record"] / n
	P[k, "other"] = P[k, "total"] - P[k, "decode"] - P[k, "checker"] - P[k, "sched"] - P[k, "ops"] - P[k, "reset"] - P[k, "feedback"]
	P[k, "libfuzzer"] = (I[k, "fuzzer::Fuzzer::Loop"] - I[k, "LLVMFuzzerTestOneInput"]) / n
	P[k, "startup"] = T[k] - I[k, "fuzzer::Fuzzer::Loop"] - I[k, "start_thread"]
	P[k, "futex"] = C[k, "syscall"] / n
	P[k, "steps"] = C[k, "sched_step_end"] / n
	P[k, "runs"] = C[k, "run_cpu"] / n
}
function row(what, key, fmt) {
	printf "| %s | " fmt " | " fmt " | %.2f |\n", what, P["o", key], P["n", key], P["o", key] ? P["n", key] / P["o", key] : 0
}
BEGIN {
	load(old, "o"); load(new, "n"); parts("o"); parts("n")
	printf "| instructions per execution | main %s | this tree | new/old |\n|---|---|---|---|\n", oc
	row("decode: program_decode (the input to a program)", "decode", "%.0f")
	row("reset: exec_run_strategy less the scheduler and the checker (mm reset, cache fill, cpu states, the end'"'"'s glue)", "reset", "%.0f")
	row("scheduler: sched_run and the threads'"'"' loops outside the cpus, sched_step_end (handoffs, futex syscalls, strategy, blocked callback)", "sched", "%.0f")
	row("ops and variant code: run_cpu less sched_step_end and the checks (the kernel calls, the primitives, trace steps)", "ops", "%.0f")
	row("checker: check_step (every step and the end), lost_pages_check, lost_pages_release", "checker", "%.0f")
	row("feedback: feedback_record", "feedback", "%.0f")
	row("other of the target: LLVMFuzzerTestOneInput'"'"'s own", "other", "%.0f")
	row("the target in all: LLVMFuzzerTestOneInput and the scheduler'"'"'s threads", "total", "%.0f")
	row("libFuzzer'"'"'s own: Fuzzer::Loop less the target (mutation, coverage collection, corpus)", "libfuzzer", "%.0f")
	row("futex syscalls per execution (calls of syscall)", "futex", "%.2f")
	row("scheduling points per execution (sched_step_end)", "steps", "%.2f")
	row("cpu runs per execution (run_cpu)", "runs", "%.2f")
	printf "\nMeasured over %d executions each (-seed=1 -runs from build/exec-cost/corpus); same inputs: %s (old %s, new %s).\n", N["o"], (os == ns && N["o"] == N["n"]) ? "yes" : "no", os, ns
	printf "Start-up, once per process, not per execution: %.1f M instructions old, %.1f M new (all outside Fuzzer::Loop and the threads).\n\n", P["o", "startup"] / 1e6, P["n", "startup"] / 1e6
}' /dev/null

# exec/s, alternating.
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# rate BIN SEED: "EXEC/S SWITCHES/EXEC" of one run from an empty corpus.
rate() {
	local t0 t1 sw=
	rm -rf "$dir/empty" && mkdir "$dir/empty" || exit 2
	t0=$(date +%s.%N)
	if command -v perf >/dev/null; then
		sw=$(PAGERACE_CPU=$CPU perf stat -x, -e context-switches "$1" -seed="$2" -runs="$RATE_RUNS" "$dir/empty" 2>&1 >/dev/null |
			awk -F, '/context-switches/ { print $1 }')
	else
		PAGERACE_CPU=$CPU "$1" -seed="$2" -runs="$RATE_RUNS" "$dir/empty" >/dev/null 2>&1
	fi
	t1=$(date +%s.%N)
	awk -v t0="$t0" -v t1="$t1" -v n="$RATE_RUNS" -v sw="$sw" 'BEGIN { printf "%.0f %s\n", n / (t1 - t0), sw == "" ? "-" : sprintf("%.2f", sw / n) }'
}
: >"$dir/old.rate"
: >"$dir/new.rate"
: >"$dir/ratio"
for r in $(seq "$ROUNDS"); do
	a=$(rate "$old" "$r")
	b=$(rate "$new" "$r")
	echo "$a" >>"$dir/old.rate"
	echo "$b" >>"$dir/new.rate"
	awk -v a="${a%% *}" -v b="${b%% *}" 'BEGIN { print b / a }' >>"$dir/ratio"
done
o=$(awk '{ print $1 }' "$dir/old.rate" | median)
n=$(awk '{ print $1 }' "$dir/new.rate" | median)
osw=$(awk '{ print $2 }' "$dir/old.rate" | median)
nsw=$(awk '{ print $2 }' "$dir/new.rate" | median)
echo "| libFuzzer v6.2, SANITIZER=none, from an empty corpus | main $OLD_COMMIT | this tree | new/old (median of the rounds') |"
echo "|---|---|---|---|"
echo "| exec/s ($RATE_RUNS executions over the process's wall time, start-up included) | $o | $n | $(median <"$dir/ratio" | awk '{ printf "%.2f", $1 }') |"
echo "| context switches per execution (perf stat) | $osw | $nsw | |"
echo
awk -v n="$n" -v rounds="$ROUNDS" -v cpu="$CPU" 'BEGIN {
	printf "Medians of %d alternating rounds, pinned to CPU %d. Goal: at least 50,000 exec/s: %s\n", rounds, cpu, (n >= 50000) ? "met" : "missed" }'
