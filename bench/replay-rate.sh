#!/bin/sh
# replay-rate.sh BIN: replays/s of the story programs with the scheduler's
# threads pinned to one CPU and left to float, measured in one run, and
# their ratio.
bin=${1:?usage: replay-rate.sh build/bench-replay-rate}
secs=${BENCH_SECONDS:-3}
printf '%-34s %-14s %12s %12s %8s\n' program variant pinned/s floating/s ratio
for prog in corpus/regressions/wilcox-2021-two-cpus.prog corpus/regressions/linus-2021-three-cpus.prog; do
	for v in v5.9 v6.2; do
		pinned=$("$bin" "$prog" "$secs" $v | awk '{print $2}')
		floating=$(PAGERACE_CPU=none "$bin" "$prog" "$secs" $v | awk '{print $2}')
		printf '%-34s %-14s %12s %12s %7.1fx\n' "$(basename "$prog")" $v "$pinned" "$floating" \
			"$(echo "$pinned $floating" | awk '{print $1 / $2}')"
	done
done
