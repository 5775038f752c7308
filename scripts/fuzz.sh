#!/bin/sh
# fuzz.sh: `make fuzz`.  Fuzzes one variant's target until the first crash
# or FUZZ_SECONDS, then keeps the raw input in crashes/, minimizes it
# (pagerace's passes: the engine's own minimizer, libFuzzer's
# -minimize_crash or afl-tmin, would spend seconds on bytes the story does
# not need), writes the story to corpus/regressions/ and shows it.  The two
# clocks are printed apart: the fuzzing, from the engine's start to its
# exit at the crash, and the minimization.  Exit 0 whether or not it found
# one.
#
# Environment (the Makefile's variables): VARIANT (v5.9), SANITIZER
# (none|address|thread), ENGINE (libfuzzer|afl), FUZZ_SECONDS (60), JOBS (1),
# FRESH (1: an empty corpus in a temporary folder, nothing loaded from
# corpus/), BIN (the target), PAGERACE (build/pagerace), VARIANT_ARGS (how
# pagerace names the variant: --variant V, or --variant-file F.c),
# CRASHES (crashes) and REGRESSIONS (corpus/regressions): where the raw
# input and the story go (the tests point them elsewhere); REFS (1: the
# refcount sanitizer, in the target and the minimizer).
set -u
: "${VARIANT:=v5.9}" "${SANITIZER:=none}" "${ENGINE:=libfuzzer}" "${FUZZ_SECONDS:=60}"
: "${JOBS:=1}" "${FRESH:=}" "${PAGERACE:=build/pagerace}" "${VARIANT_ARGS:=--variant $VARIANT}"
: "${BIN:?BIN names the fuzz target}" "${CRASHES:=crashes}" "${REGRESSIONS:=corpus/regressions}"
refs=
if [ "${REFS:-}" = 1 ]; then
	export PAGERACE_REFS=1
	refs=--refs
fi
target=fuzz-$VARIANT
tag=$ENGINE-$SANITIZER-$VARIANT
log=build/fuzz/$tag.log
mkdir -p "$CRASHES" "$REGRESSIONS" build/fuzz
[ "$FRESH" = 1 ] || FRESH=
if [ -n "$FRESH" ]; then
	corpus=$(mktemp -d)
	trap 'rm -rf "$corpus"' EXIT
else
	corpus=corpus/$target
	mkdir -p "$corpus"
fi
. scripts/engine.sh
engine_env "$ENGINE"
[ -x "$BIN" ] || { echo "fuzz: no fuzz target $BIN" >&2; exit 2; }
echo "fuzz: $target, engine $ENGINE, sanitizer $SANITIZER, $FUZZ_SECONDS s, $JOBS job(s), corpus ${FRESH:+fresh }$corpus"
start=$(date +%s.%N)
crash=

run_libfuzzer() {
	stamp=build/fuzz/$tag.stamp
	touch "$stamp"
	seeds=
	[ -n "$FRESH" ] || seeds=$FUZZ_SEEDS
	fork=
	[ "$JOBS" -gt 1 ] && fork="-fork=$JOBS"
	libfuzzer "$BIN" -max_total_time="$FUZZ_SECONDS" -print_final_stats=1 \
		-artifact_prefix="$CRASHES/$tag-" $fork "$corpus" $seeds >"$log" 2>&1
	crash=$(find "$CRASHES" -maxdepth 1 -name "$tag-crash-*" -newer "$stamp" | head -1)
}

run_afl() {
	out=build/fuzz/afl-$tag
	rm -rf "$out"
	if [ -n "$FRESH" ] || [ -z "$(ls "$corpus")" ]; then
		in=$(mktemp -d)
		printf '\0' >"$in/empty"
		[ -n "$FRESH" ] || cp "$FUZZ_SEEDS"/* "$in/"
	else
		in=$corpus
	fi
	export AFL_BENCH_UNTIL_CRASH=1
	j=1
	while [ "$j" -lt "$JOBS" ]; do
		afl_fuzz "$in" "$out" -S "s$j" -V "$FUZZ_SECONDS" -- "$BIN" >"$log.s$j" 2>&1 &
		j=$((j + 1))
	done
	afl_fuzz "$in" "$out" -M main -V "$FUZZ_SECONDS" -- "$BIN" >"$log" 2>&1
	st=$?
	# The main instance stopped: at a crash of its own, or the time is up;
	# the secondaries stop with it.
	for pid in $(jobs -p); do kill "$pid" 2>/dev/null; done
	wait
	if [ $st != 0 ]; then
		echo "fuzz: afl-fuzz failed (status $st):" >&2
		grep -A3 'PROGRAM ABORT' "$log" >&2
		exit 2
	fi
	found=$(ls "$out"/*/crashes/id:* 2>/dev/null | head -1)
	if [ -n "$found" ]; then
		crash=$CRASHES/$tag-crash-$(sha1sum "$found" | cut -c1-40)
		cp "$found" "$crash"
	fi
	[ -n "$FRESH" ] || [ "$in" = "$corpus" ] || cp "$out"/main/queue/id:* "$corpus"/ 2>/dev/null
	[ "$in" = "$corpus" ] || rm -rf "$in"
}

case "$ENGINE" in
libfuzzer) run_libfuzzer ;;
afl) run_afl ;;
*) echo "fuzz: ENGINE must be libfuzzer or afl, not '$ENGINE'" >&2; exit 2 ;;
esac
elapsed=$(echo "$(date +%s.%N) $start" | awk '{printf "%.1f", $1 - $2}')

if [ -z "$crash" ]; then
	echo "fuzz: no crash in $elapsed s on $target ($ENGINE, $SANITIZER); log: $log"
	exit 0
fi
input=$crash
echo "fuzz: crash after $elapsed s of fuzzing (no minimization in it); raw input kept as $crash"
if grep -q 'ThreadSanitizer: data race' "$log"; then
	# A data race is TSan's verdict, not the checker's: show the program
	# and the race, there is no trace to minimize against.
	echo "fuzz: ThreadSanitizer reports a data race on $VARIANT; the program:"
	"$PAGERACE" show "$input"
	grep -m1 -A12 'WARNING: ThreadSanitizer: data race' "$log"
	echo "replay under TSan: $BIN $input"
	exit 0
fi
start=$(date +%s.%N)
"$PAGERACE" minimize $VARIANT_ARGS $refs --out "$REGRESSIONS" \
	--origin "Found by make fuzz ($ENGINE, SANITIZER=$SANITIZER) in $elapsed s; raw input $crash." \
	"$input" || { echo "fuzz: the crash does not replay under the checker; see $log"; exit 0; }
echo "fuzz: minimized in $(echo "$(date +%s.%N) $start" | awk '{printf "%.2f", $1 - $2}') s (pagerace's passes, the story written)"
