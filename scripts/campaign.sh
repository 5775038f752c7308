#!/bin/bash
# campaign.sh: `make campaign`, fuzzing for hours or days.  One fuzzer per
# variant (libFuzzer in fork mode, or AFL++ as one main and JOBS-1
# secondaries) over the persistent corpus/fuzz-<variant>/, resumable after
# any stop.  Every few seconds: triage of new crashes and one status line.
# At the end, or at Ctrl-C or SIGTERM: the fuzzers are stopped with SIGINT,
# the last crashes triaged, and the report written.  Crashes and the
# corpus entries already merged are on disk as they are found; a libFuzzer
# fork-mode job that is running at the stop loses what it found since it
# started (its job time), as libFuzzer merges only finished jobs.
#
# Triage: a crash is minimized by pagerace; its signature is its verdict
# and the shape of its minimized trace.  A new signature goes into
# corpus/regressions/ once; a known one is counted as a duplicate.
# crashes/campaign-<variant>/ keeps at most CRASHES_KEEP raw inputs.
#
# State, kept across runs in $STATE (build/campaign): stats.tsv (the status
# lines), signatures.tsv (signature, variant, story, duplicates), elapsed
# (seconds of campaign so far), report.md and its plots.
#
# Environment: VARIANTS, JOBS, ENGINE, HOURS (or SECONDS_TOTAL), SANITIZER, REFS,
# STATUS_EVERY (5 s), CRASHES_KEEP (100), STATE, PAGERACE, CORPUS_ROOT
# (corpus: the corpora are CORPUS_ROOT/fuzz-<variant>), REGRESSIONS
# (corpus/regressions), VARIANT_FILE (the file of a variant named file-*),
# and FUZZ_DIR, the folder of the targets (fuzz-<variant>;
# build/fuzz/ENGINE-SANITIZER).  VARIANTS defaults to the kernels, buggy
# and correct (scripts/variants.sh).
set -u
. scripts/engine.sh
: "${VARIANTS:=$(sh scripts/variants.sh list buggy correct)}" "${JOBS:=2}" "${ENGINE:=libfuzzer}" "${HOURS:=1}"
: "${SANITIZER:=none}" "${STATUS_EVERY:=5}" "${CRASHES_KEEP:=100}" "${STATE:=build/campaign}"
: "${PAGERACE:=build/pagerace}" "${CORPUS_ROOT:=corpus}" "${REGRESSIONS:=corpus/regressions}"
: "${FUZZ_DIR:=build/fuzz/$ENGINE-$SANITIZER}"
refs= # REFS=1: the refcount sanitizer, in the targets and the minimizer
if [ "${REFS:-}" = 1 ]; then
	export PAGERACE_REFS=1
	refs=--refs
fi
total=${SECONDS_TOTAL:-$(awk -v h="$HOURS" 'BEGIN { printf "%d", h * 3600 }')}
mkdir -p "$STATE" crashes
touch "$STATE/stats.tsv" "$STATE/signatures.tsv"
[ -s "$STATE/stats.tsv" ] ||
	printf 'elapsed\tvariant\texecs\texecs_per_s\tcoverage\tcorpus\tunique\tduplicates\n' >"$STATE/stats.tsv"
before=$(cat "$STATE/elapsed" 2>/dev/null || echo 0)
# A fuzzer counts its executions from 0 at each start: what earlier runs of
# the campaign did is added from the state, so the counts go on.
declare -A execs_before
for v in $VARIANTS; do
	execs_before[$v]=$(awk -F'\t' -v v="$v" '$2 == v { e = $3 } END { print e + 0 }' "$STATE/stats.tsv")
done
start=$(date +%s)
pids=()
stopping=

# How pagerace names variant v: a built-in one, or VARIANT_FILE's (file-*).
variant_args() { [ "${1#file-}" != "$1" ] && echo "--variant-file $VARIANT_FILE" || echo "--variant $1"; }
now() { echo $(($(date +%s) - start + before)); }

start_fuzzer() {
	local v=$1 bin=$FUZZ_DIR/fuzz-$1 out
	[ -x "$bin" ] || { echo "campaign: no fuzz target $bin" >&2; exit 2; }
	mkdir -p "$CORPUS_ROOT/fuzz-$v" "crashes/campaign-$v"
	if [ "$ENGINE" = libfuzzer ]; then
		setsid sh -c '. scripts/engine.sh && libfuzzer "$@"' libfuzzer "$bin" -fork="$JOBS" \
			-ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 -max_total_time="$total" \
			-artifact_prefix="crashes/campaign-$v/" "$CORPUS_ROOT/fuzz-$v" "$FUZZ_SEEDS" \
			>>"$STATE/$v.log" 2>&1 &
		pids+=($!)
		return
	fi
	# AFL++: its own output folder resumes; the corpus seeds a new one.
	out=$STATE/afl-$v
	export AFL_AUTORESUME=1
	[ -n "$(ls "$CORPUS_ROOT/fuzz-$v")" ] || cp "$FUZZ_SEEDS"/* "$CORPUS_ROOT/fuzz-$v/"
	setsid sh -c '. scripts/engine.sh && afl_fuzz "$@"' afl_fuzz "$CORPUS_ROOT/fuzz-$v" "$out" -M main \
		-V "$total" -- "$bin" >>"$STATE/$v.log" 2>&1 &
	pids+=($!)
	for ((j = 1; j < JOBS; j++)); do
		setsid sh -c '. scripts/engine.sh && afl_fuzz "$@"' afl_fuzz "$CORPUS_ROOT/fuzz-$v" "$out" -S "s$j" \
			-V "$total" -- "$bin" >>"$STATE/$v.log.s$j" 2>&1 &
		pids+=($!)
	done
}

# The newest figures of variant v: execs, execs/s, coverage, corpus, crashes.
figures() {
	local v=$1
	if [ "$ENGINE" = libfuzzer ]; then
		grep -E '^#[0-9]+: cov:' "$STATE/$v.log" 2>/dev/null | tail -1 |
			sed -E 's/^#([0-9]+): cov: ([0-9]+) ft: [0-9]+ corp: ([0-9]+) exec\/s: ([0-9]+).*/\1 \4 \2 \3/'
	else
		cat "$STATE/afl-$v"/*/fuzzer_stats 2>/dev/null | awk '
			/^execs_done/ { e += $3 } /^execs_per_sec/ { s += $3 }
			/^bitmap_cvg/ { c = $3 } /^corpus_count/ { if ($3 > k) k = $3 }
			END { if (e) printf "%d %d %s %d\n", e, s, c, k }'
	fi
}

raw_crashes() {
	if [ "$ENGINE" = libfuzzer ]; then
		ls -tr "crashes/campaign-$1"/crash-* 2>/dev/null
	else
		ls -tr "$STATE/afl-$1"/*/crashes/id:* 2>/dev/null
	fi
}

# Minimize each crash not seen yet; keep new signatures as stories.
triage() {
	local v=$1 c sig story tmp out seen=$STATE/triaged-$v
	touch "$seen"
	for c in $(raw_crashes "$v"); do
		grep -qxF "$c" "$seen" && continue
		echo "$c" >>"$seen"
		tmp=$(mktemp -d)
		out=$("$PAGERACE" minimize $(variant_args "$v") $refs --out "$tmp" \
			--origin "Found by make campaign ($ENGINE, SANITIZER=$SANITIZER) after $(now) s; raw input $c." \
			"$c" 2>/dev/null)
		sig=$(echo "$out" | result_key signature)
		story=$(echo "$out" | result_key story)
		if [ -z "$sig" ]; then
			sig="unreplayable-$(basename "$c")" # a sanitizer report, not a verdict
			story=$c
		fi
		if grep -q "^$sig	" "$STATE/signatures.tsv"; then
			awk -F'\t' -v s="$sig" 'BEGIN { OFS = "\t" } $1 == s { $4++ } { print }' \
				"$STATE/signatures.tsv" >"$STATE/sig.tmp" && mv "$STATE/sig.tmp" "$STATE/signatures.tsv"
		else
			if [ -f "$story" ] && [ "${story#"$tmp"}" != "$story" ]; then
				mv "$story" "$REGRESSIONS/" && story=$REGRESSIONS/$(basename "$story")
			fi
			printf '%s\t%s\t%s\t0\t%s\n' "$sig" "$v" "$story" "$(now)" >>"$STATE/signatures.tsv"
			echo "campaign: new crash on $v: $sig -> $story"
		fi
		rm -rf "$tmp"
	done
	# Bound the raw crashes: the newest CRASHES_KEEP of each variant stay.
	ls -t "crashes/campaign-$v"/crash-* 2>/dev/null | tail -n +$((CRASHES_KEEP + 1)) | xargs -r rm -f
}

status() {
	local v line="[$(now) s]" f uniq dups newest
	for v in $VARIANTS; do
		triage "$v"
		f=$(figures "$v")
		uniq=$(awk -F'\t' -v v="$v" '$2 == v' "$STATE/signatures.tsv" | wc -l)
		dups=$(awk -F'\t' -v v="$v" '$2 == v { d += $4 } END { print d + 0 }' "$STATE/signatures.tsv")
		set -- ${f:-0 0 0 0}
		set -- $(($1 + ${execs_before[$v]})) "$2" "$3" "$4"
		printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(now)" "$v" "$1" "$2" "$3" "$4" "$uniq" "$dups" \
			>>"$STATE/stats.tsv"
		line="$line $v: $1 execs, $2/s, cov $3, corpus $4, crashes $uniq (+$dups dup) |"
	done
	newest=$(awk -F'\t' 'NF >= 5 && $5 > m { m = $5 } END { print m + 0 }' "$STATE/signatures.tsv")
	if [ -s "$STATE/signatures.tsv" ]; then
		line="$line last new crash $(($(now) - newest)) s ago"
	else
		line="$line no crash yet"
	fi
	echo "$line"
	now >"$STATE/elapsed"
}

stop() {
	[ -n "$stopping" ] && return
	stopping=1
	# Each fuzzer leads its own process group (setsid), with its jobs.
	# SIGTERM lets libFuzzer and AFL++ finish their writes and exit
	# cleanly (a background job of this shell ignores SIGINT); what still
	# runs 15 s later is killed.
	for p in "${pids[@]}"; do kill -TERM -- "-$p" 2>/dev/null; done
	for _ in $(seq 15); do
		alive=
		for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
		[ -n "$alive" ] || break
		sleep 1
	done
	for p in "${pids[@]}"; do kill -KILL -- "-$p" 2>/dev/null; done
	wait
	status
	now >"$STATE/elapsed"
	sh scripts/campaign-report.sh "$STATE" "$ENGINE" "$SANITIZER"
	echo "campaign: stopped after $(now) s of campaign; report: $STATE/report.md"
}

engine_env "$ENGINE"
trap 'stop; exit 0' INT TERM
echo "campaign: $VARIANTS, engine $ENGINE, sanitizer $SANITIZER, $JOBS job(s) each, $total s," \
	"resuming at $before s; state in $STATE"
for v in $VARIANTS; do start_fuzzer "$v"; done
while [ $(($(date +%s) - start)) -lt "$total" ]; do
	sleep "$STATUS_EVERY" &
	wait $!
	status
	alive=
	for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
	[ -n "$alive" ] || break
done
stop
