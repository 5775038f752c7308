#!/bin/bash
# kernel-shaped.sh NEW_REPLAY_RATE_BIN: executions per second of the
# kernel-shaped built-in variants (each cpu plain C on its own stack, the
# scheduling points inside the shim's primitives) against the protothread
# design they replaced, built from the last commit before the change
# (BENCH_OLD_COMMIT, default f21b1ef).  Both run the same story programs
# under the same variants on the same pinned CPU, alternating, ROUNDS
# rounds of SECONDS each; the figures are the median replays/s of each and
# the median of the rounds' ratios (a round's two runs are neighbours in
# time, so the ratio of a pair is less noisy than the ratio of medians), in
# steady state (thread start-up excluded: each binary runs one execution
# before its clock starts).  Prints a markdown table and the goal line
# "ratio >= 0.9: met|missed"; part of `make bench`, alone `make bench-kernel-shaped`.
set -u
cd "$(dirname "$0")/.." || exit 2
new=${1:?usage: kernel-shaped.sh build/bench-replay-rate}
OLD_COMMIT=${BENCH_OLD_COMMIT:-f21b1ef}
ROUNDS=${BENCH_ROUNDS:-7}
SECONDS_EACH=${BENCH_SECONDS:-1}
CPU=${BENCH_CPU:-0}
old_dir=build/bench-old-$OLD_COMMIT
old=$old_dir/build/bench-replay-rate

if [ ! -x "$old" ]; then
	rm -rf "$old_dir" && mkdir -p "$old_dir" || exit 2
	git archive "$OLD_COMMIT" | tar -x -C "$old_dir" || { echo "kernel-shaped: cannot export $OLD_COMMIT" >&2; exit 2; }
	make -s -C "$old_dir" build/bench-replay-rate >/dev/null || { echo "kernel-shaped: $OLD_COMMIT does not build" >&2; exit 2; }
fi

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
rate() { PAGERACE_CPU=$CPU "$1" "$2" "$SECONDS_EACH" "$3" | awk '{ print $2 }'; }

echo "| program | variant | protothreads ($OLD_COMMIT), replays/s | kernel-shaped, replays/s | ratio (median of the rounds') |"
echo "|---|---|---|---|---|"
worst=
for prog in wilcox-2021-two-cpus linus-2021-three-cpus cve-2023-52739-compound; do
	for v in v5.9 v5.10 v6.2; do
		f=corpus/regressions/$prog.prog
		: >"$old_dir/old.txt"
		: >"$old_dir/new.txt"
		: >"$old_dir/ratio.txt"
		for _ in $(seq "$ROUNDS"); do
			a=$(rate "$old" "$f" "$v")
			b=$(rate "$new" "$f" "$v")
			echo "$a" >>"$old_dir/old.txt"
			echo "$b" >>"$old_dir/new.txt"
			awk -v a="$a" -v b="$b" 'BEGIN { print b / a }' >>"$old_dir/ratio.txt"
		done
		o=$(median <"$old_dir/old.txt")
		n=$(median <"$old_dir/new.txt")
		r=$(median <"$old_dir/ratio.txt" | awk '{ printf "%.2f", $1 }')
		echo "| $prog | $v | $o | $n | $r |"
		worst=$(awk -v r="$r" -v w="${worst:-99}" 'BEGIN { print (r < w) ? r : w }')
	done
done
echo
awk -v w="$worst" -v rounds="$ROUNDS" -v s="$SECONDS_EACH" -v cpu="$CPU" 'BEGIN {
	printf "Lowest ratio %.2f (each the median ratio of %d alternating rounds of %g s, CPU %d, steady state). ", w, rounds, s, cpu
	printf "Goal: ratio >= 0.9: %s\n", (w >= 0.9) ? "met" : "missed" }'
