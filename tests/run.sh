#!/bin/sh
# run.sh: the whole of `make check`: unit tests and the command line, plain
# and under ASan+UBSan, ThreadSanitizer over the regression programs, the
# fuzz targets over random inputs, the OSS-Fuzz build outside docker, and
# make fuzz from nothing on the buggy kernels and their fixes, and short
# fresh campaigns of v6.2 under TSan and ASan that must stay clean.
# Each part prints "NAME: N passed, N failed"; the last line sums them.
# sh tests/run.sh PART... runs only those parts (make test: the fast ones).
total_pass=0 total_fail=0 failed_parts=
log=$(mktemp)
trap 'rm -f "$log" "$log.status"' EXIT
only="$*"

. tests/part.sh

# tsan_search STATUS PATTERN BIN ARGS...: BIN ARGS under TSan exits
# STATUS, prints PATTERN (grep -E) and no ThreadSanitizer report.
tsan_search() {
	want=$1 pattern=$2
	shift 2
	TSAN_OPTIONS=halt_on_error=1:exitcode=66 "$@" >"$log.out" 2>"$log.tsan"
	got=$?
	if [ $got = "$want" ] && grep -qE -- "$pattern" "$log.out" && ! grep -q ThreadSanitizer "$log.tsan"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL tsan: $*: exit $got (want $want), $(grep -m1 -E -- "$pattern" "$log.out" || echo "no '$pattern'"):" \
			"$(grep -m1 -A3 ThreadSanitizer "$log.tsan")"
	fi
}

# tsan BIN: the correct kernels are race-free under TSan on every
# regression program, and the planted race of racy-refcount is reported:
# the proof that the scheduler's baton hides no race.  Then the refcount
# sanitizer in the searches: hunt and stress --refs on the correct kernels
# stay silent and race-free on a one-cpu and a two-cpu story, and on v5.10
# both report unreferenced-access (hunt minimizes and keeps it too).
tsan() {
	pass=0 fail=0
	for f in corpus/regressions/*.prog; do
		# A story of variant files names an op the built-in ones lack.
		grep -q '^# expect: [^ ]*\.c ' "$f" && continue
		for v in $(sh scripts/variants.sh list buggy correct); do
			TSAN_OPTIONS=halt_on_error=1:exitcode=66 "$1" replay --variant $v "$f" >/dev/null 2>"$log.tsan"
			if [ $? -le 1 ] && ! grep -q ThreadSanitizer "$log.tsan"; then
				pass=$((pass + 1))
			else
				fail=$((fail + 1))
				echo "FAIL tsan: $v $f: $(grep -m1 -A3 ThreadSanitizer "$log.tsan")"
			fi
		done
	done
	for v in $(sh scripts/variants.sh list racy); do
		TSAN_OPTIONS=halt_on_error=1:exitcode=66 "$1" replay --variant $v \
			corpus/regressions/wilcox-2021-two-cpus.prog >/dev/null 2>"$log.tsan"
		if grep -q 'ThreadSanitizer: data race' "$log.tsan"; then
			pass=$((pass + 1))
		else
			fail=$((fail + 1))
			echo "FAIL tsan: $v not reported as a data race"
		fi
	done
	out=$(mktemp -d)
	for v in $(sh scripts/variants.sh list correct); do
		for f in corpus/regressions/shared-get-free.prog corpus/regressions/cve-2023-52739-calm.prog; do
			tsan_search 0 '^hunt: no violation in [1-9]' "$1" hunt --refs --variant $v --seconds 0.5 --seed 1 \
				--out "$out" "$f"
			tsan_search 0 '^stress: no violation in [1-9]' "$1" stress --refs --variant $v --seconds 0.5 --seed 1 "$f"
		done
	done
	# explore's state hash reads every cpu's state from the stepping
	# cpu's thread: through relaxed atomics only (struct observed), or
	# TSan reports pagerace's own race on a story of three cpus.
	# The correct kernels only: a find's story is replayed on every
	# variant, and a two-cpu one on racy-refcount shows its planted race;
	# so on v5.10 below, one cpu.
	for v in $(sh scripts/variants.sh list correct); do
		tsan_search 0 '^explored: [1-9][0-9]* schedules, violations: 0' "$1" explore --variant $v \
			--preemptions 3 corpus/regressions/linus-2021-three-cpus.prog
	done
	tsan_search 1 '^hunt: unreferenced-access after 1 schedules' "$1" hunt --refs --variant v5.10 --seconds 5 \
		--seed 1 --out "$out" corpus/regressions/shared-get-free.prog
	tsan_search 1 '^stress: unreferenced-access in round 1 ' "$1" stress --refs --variant v5.10 --seconds 5 \
		--seed 1 corpus/regressions/shared-get-free.prog
	# Locks (shim/pagerace/hooks.h rule 7): the lock word is acquire and
	# release, the scheduler reads who waits and who holds relaxed, and so
	# does a free-running cpu that spins: no report, serialized or not.
	tsan_search 0 '^explored: [1-9][0-9]* schedules, violations: 0' "$1" explore --preemptions 3 \
		--variant-file variants/examples/find-get-page-locked.c corpus/regressions/linus-2021-three-cpus.prog
	tsan_search 0 '^stress: no violation in [1-9]' "$1" stress --variant-file variants/examples/find-get-page-locked.c \
		--seconds 0.5 --seed 1 corpus/regressions/linus-2021-three-cpus.prog
	# Page migration (an op the file adds): its freeze, store and
	# unfreeze under i_pages against a lookup that spins on the frozen
	# count, serialized and free-running.
	mig=corpus/regressions/piggin-2008-lookup-racing-migration.prog
	tsan_search 0 '^explored: [1-9][0-9]* schedules, violations: 0' "$1" explore --preemptions 8 \
		--variant-file variants/examples/migrate-page-move-mapping-5.x.c "$mig"
	tsan_search 0 '^stress: no violation in [1-9]' "$1" stress --chaos --seconds 0.5 --seed 1 \
		--variant-file variants/examples/migrate-page-move-mapping-5.x.c "$mig"
	printf 'cpu 0: alloc 0 a; ref a; free a; put a\ncpu 1: alloc 0 b; free b\n' >"$out/holds.prog"
	tsan_search 1 '^stress: deadlock in round' "$1" stress --variant-file tests/variants/deadlock-holds.c \
		--seconds 5 --seed 1 "$out/holds.prog"
	rm -rf "$out" "$log.tsan" "$log.out"
	echo "tsan: $pass passed, $fail failed"
}

part harness sh tests/harness.sh
part layout sh tests/layout.sh
part unit build/test-unit
part cli sh tests/cli.sh build/pagerace
part variants sh tests/variants.sh build/pagerace
part variants-deep sh tests/variants.sh build/pagerace deep
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
part asan-unit build/asan/test-unit
part asan-cli sh tests/cli.sh build/asan/pagerace
part tsan tsan build/tsan/pagerace
part fuzz-targets sh tests/fuzz-targets.sh
part fuzz-finds sh tests/fuzz-finds.sh
part oss-fuzz sh tests/oss-fuzz.sh
part campaign sh tests/campaign.sh

[ -z "$failed_parts" ] || echo "failed parts:$failed_parts"
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" = 0 ]
