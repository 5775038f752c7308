#!/bin/bash
# campaign.sh: `make campaign`, fuzzing for hours or days.  One fuzzer per
# variant, built-in or a variant file (libFuzzer in fork mode, or AFL++ as
# one main and JOBS-1 secondaries) over the persistent
# corpus/fuzz-<variant>/, resumable after any stop.  Every few seconds:
# triage of new crashes and one status line.  At the end, or at Ctrl-C or
# SIGTERM: the fuzzers are stopped, the last crashes triaged, and the
# report written (scripts/campaign-report.sh).  Crashes and the corpus
# entries already merged are on disk as they are found; a libFuzzer
# fork-mode job that is running at the stop loses what it found since it
# started (its job time), as libFuzzer merges only finished jobs.
#
# Triage: every raw crash is minimized by pagerace (src/report/signature.c
# says what its signature is) and recorded; a variant's first crash of a
# signature leaves its story in corpus/regressions/, the later ones are
# counted.  A minimized program is known by the hash of its story's
# program text (the lines that are not comments), so the report can say
# how many programs one signature stands for.
# CRASHES_ROOT/campaign-<variant>/ keeps at most CRASHES_KEEP raw inputs
# already triaged.
#
# State, kept across runs in $STATE (build/campaign): stats.tsv (the status
# lines), crashes.tsv (one row a raw crash: when, variant, input, verdict,
# signature, program hash, story), signatures.tsv (made from crashes.tsv:
# per variant and signature its story, raw crashes, distinct minimized
# programs and first sight), variants.tsv (each variant's file and
# expected verdict, scripts/variants.sh expect), elapsed (seconds of
# campaign so far), report.md and its plots.
#
# Environment: VARIANTS, VARIANT_FILES, JOBS, ENGINE, HOURS (or
# SECONDS_TOTAL), SANITIZER, REFS, STATUS_EVERY (5 s), CRASHES_KEEP (100),
# TRIAGE_SECONDS (30), STATE, PAGERACE, CORPUS_ROOT (corpus: the corpora
# are CORPUS_ROOT/fuzz-<variant>), CRASHES_ROOT (crashes), REGRESSIONS
# (corpus/regressions), and FUZZ_DIR, the folder of the targets
# (fuzz-<variant>; build/fuzz/ENGINE-SANITIZER).  VARIANTS are built-in
# ones, by default (unset) the kernels, buggy and correct
# (scripts/variants.sh); VARIANT_FILES are NAME=FILE words, the variant
# files as the Makefile names them (file-mine=path/to/mine.c).
set -u
. scripts/engine.sh
: "${VARIANTS=$(sh scripts/variants.sh list buggy correct)}" "${VARIANT_FILES:=}"
: "${JOBS:=2}" "${ENGINE:=libfuzzer}" "${HOURS:=1}"
: "${SANITIZER:=none}" "${STATUS_EVERY:=5}" "${CRASHES_KEEP:=100}" "${TRIAGE_SECONDS:=30}" "${STATE:=build/campaign}"
: "${PAGERACE:=build/pagerace}" "${CORPUS_ROOT:=corpus}" "${REGRESSIONS:=corpus/regressions}"
: "${CRASHES_ROOT:=crashes}"
: "${FUZZ_DIR:=build/fuzz/$ENGINE-$SANITIZER}"
refs= # REFS=1: the refcount sanitizer, in the targets and the minimizer
if [ "${REFS:-}" = 1 ]; then
	export PAGERACE_REFS=1
	refs=--refs
fi
total=${SECONDS_TOTAL:-$(awk -v h="$HOURS" 'BEGIN { printf "%d", h * 3600 }')}

# The variants: the built-in ones, then each file's name, mapped to its path.
declare -A file_of
all=$VARIANTS
for nf in $VARIANT_FILES; do
	n=${nf%%=*} f=${nf#*=}
	[ -f "$f" ] || { echo "campaign: no variant file $f" >&2; exit 2; }
	[ -z "${file_of[$n]:-}" ] || { echo "campaign: two variant files named $n: ${file_of[$n]} and $f" >&2; exit 2; }
	file_of[$n]=$f
	all="$all $n"
done
VARIANTS=$(echo $all)
[ -n "$VARIANTS" ] || { echo "campaign: no variant to fuzz (VARIANTS and VARIANT_FILES are empty)" >&2; exit 2; }

mkdir -p "$STATE" "$CRASHES_ROOT" "$REGRESSIONS"
if [ -s "$STATE/signatures.tsv" ] && [ ! -f "$STATE/crashes.tsv" ]; then
	echo "campaign: $STATE is an older campaign's state, without crashes.tsv: move it away or remove it" >&2
	exit 2
fi
touch "$STATE/stats.tsv" "$STATE/variants.tsv"
[ -s "$STATE/stats.tsv" ] ||
	printf 'elapsed\tvariant\texecs\texecs_per_s\tcoverage\tcorpus\tunique\tduplicates\n' >"$STATE/stats.tsv"
[ -s "$STATE/crashes.tsv" ] ||
	printf 'found\tvariant\tinput\tverdict\tsignature\tprogram\tstory\n' >"$STATE/crashes.tsv"
# What each variant of this run is; an earlier run's other variants stay.
for v in $VARIANTS; do
	f=${file_of[$v]:--}
	e=$(sh scripts/variants.sh expect "${file_of[$v]:-$v}" 2>/dev/null) || e=-
	printf '%s\t%s\t%s\n' "$v" "$f" "$e"
done >"$STATE/variants.new"
awk -F'\t' 'NR == FNR { new[$1] = 1; print; next } !($1 in new)' "$STATE/variants.new" "$STATE/variants.tsv" \
	>"$STATE/variants.tmp" && mv "$STATE/variants.tmp" "$STATE/variants.tsv" && rm -f "$STATE/variants.new"
before=$(cat "$STATE/elapsed" 2>/dev/null || echo 0)
# A fuzzer counts its executions from 0 at each start: what earlier runs of
# the campaign did is added from the state, so the counts go on.
declare -A execs_before
for v in $VARIANTS; do
	execs_before[$v]=$(awk -F'\t' -v v="$v" '$2 == v { e = $3 } END { print e + 0 }' "$STATE/stats.tsv")
done
SECONDS=0 start=$(date +%s) # the seconds of this run, bash's own clock
pids=()
stopping=

# The signatures each variant has already met, "VARIANT SIGNATURE".
declare -A known
while IFS=$'\t' read -r _ v _ _ sig _; do known["$v $sig"]=1; done < <(tail -n +2 "$STATE/crashes.tsv")

# How pagerace names variant v: a built-in one, or a variant file.
variant_args() { [ -n "${file_of[$1]:-}" ] && echo "--variant-file ${file_of[$1]}" || echo "--variant $1"; }
now() { echo $((SECONDS + before)); }

# The fuzzers run at the lowest priority (nice 19): they take the cycles
# that triage and the status line leave, and not the other way round.
start_fuzzer() {
	local v=$1 bin=$FUZZ_DIR/fuzz-$1 out
	[ -x "$bin" ] || { echo "campaign: no fuzz target $bin" >&2; exit 2; }
	mkdir -p "$CORPUS_ROOT/fuzz-$v" "$CRASHES_ROOT/campaign-$v"
	if [ "$ENGINE" = libfuzzer ]; then
		setsid nice -n 19 sh -c '. scripts/engine.sh && libfuzzer "$@"' libfuzzer "$bin" -fork="$JOBS" \
			-ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 -max_total_time="$total" \
			-artifact_prefix="$CRASHES_ROOT/campaign-$v/" "$CORPUS_ROOT/fuzz-$v" "$FUZZ_SEEDS" \
			>>"$STATE/$v.log" 2>&1 &
		pids+=($!)
		return
	fi
	# AFL++: its own output folder resumes; the corpus seeds a new one.
	out=$STATE/afl-$v
	export AFL_AUTORESUME=1
	[ -n "$(ls "$CORPUS_ROOT/fuzz-$v")" ] || cp "$FUZZ_SEEDS"/* "$CORPUS_ROOT/fuzz-$v/"
	setsid nice -n 19 sh -c '. scripts/engine.sh && afl_fuzz "$@"' afl_fuzz "$CORPUS_ROOT/fuzz-$v" "$out" -M main \
		-V "$total" -- "$bin" >>"$STATE/$v.log" 2>&1 &
	pids+=($!)
	for ((j = 1; j < JOBS; j++)); do
		setsid nice -n 19 sh -c '. scripts/engine.sh && afl_fuzz "$@"' afl_fuzz "$CORPUS_ROOT/fuzz-$v" "$out" -S "s$j" \
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
		ls -tr "$CRASHES_ROOT/campaign-$1"/crash-* 2>/dev/null
	else
		ls -tr "$STATE/afl-$1"/*/crashes/id:* 2>/dev/null
	fi
}

# signatures.tsv from crashes.tsv: per variant and signature, the story of
# its first crash, its raw crashes, its distinct minimized programs (an
# unreplayable crash has none) and when it was first seen.
signatures() {
	awk -F'\t' 'BEGIN { OFS = "\t"; print "signature", "variant", "story", "raw_crashes", "programs", "first_seen" }
		NR == 1 { next }
		{ k = $5 "\t" $2 }
		!(k in raw) { order[n++] = k; story[k] = $7; first[k] = $1 }
		{ raw[k]++ }
		$6 != "-" && !((k, $6) in seen) { seen[k, $6] = 1; progs[k]++ }
		END { for (i = 0; i < n; i++) { k = order[i]; print k, story[k], raw[k], progs[k] + 0, first[k] } }' \
		"$STATE/crashes.tsv" >"$STATE/sig.tmp" && mv "$STATE/sig.tmp" "$STATE/signatures.tsv"
}

# Minimize one raw crash C of variant V and record it; a variant's new
# signature keeps its story.
triage_one() {
	local v=$1 c=$2 sig story tmp out verdict prog found
	echo "$c" >>"$STATE/triaged-$v"
	# Found when the fuzzer wrote it (a backlog's triage comes later); one
	# an earlier run left untriaged counts from this run's start.
	found=$(($(stat -c %Y "$c") - start))
	found=$((before + (found > 0 ? found : 0)))
	tmp=$(mktemp -d)
	out=$("$PAGERACE" minimize $(variant_args "$v") $refs --out "$tmp" \
		--origin "Found by make campaign ($ENGINE, SANITIZER=$SANITIZER) after $(now) s; raw input $c." \
		"$c" 2>/dev/null)
	sig=$(result_key signature <<<"$out")
	story=$(result_key story <<<"$out")
	verdict=$(result_key verdict <<<"$out")
	prog=-
	if [ -z "$sig" ]; then
		sig="unreplayable-$(basename "$c")" # a sanitizer report, not a verdict
		story=$c verdict=-
	else
		prog=$(grep -v -e '^#' -e '^[[:space:]]*$' "$story" | sha1sum)
		prog=${prog:0:12}
	fi
	if [ -n "${known["$v $sig"]:-}" ]; then
		story=-
	else
		known["$v $sig"]=1
		if [ -f "$story" ] && [ "${story#"$tmp"}" != "$story" ]; then
			mv "$story" "$REGRESSIONS/" && story=$REGRESSIONS/$(basename "$story")
		fi
		echo "campaign: new crash on $v: $sig -> $story"
	fi
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$found" "$v" "$c" "$verdict" "$sig" "$prog" "$story" \
		>>"$STATE/crashes.tsv"
	rm -rf "$tmp"
}

# Triage the crashes not seen yet, each variant's oldest first, one of each
# variant in turn.  While the fuzzers run, a round stops after
# TRIAGE_SECONDS, so the status line comes and no variant waits behind
# another's crashes; the rest stay for the next round (the backlog), and
# the stop, with the fuzzers gone, triages them all.  Measured on 2 cores
# with 13 variants of 2 jobs each: a triage took 5 to 15 s beside the
# fuzzers (each of its processes waits seconds to start), 0.15 s after.
untriaged() { raw_crashes "$1" | grep -vxF -f "$STATE/triaged-$1"; }
triage() {
	local v c left=1 end=$((SECONDS + TRIAGE_SECONDS))
	declare -A queue
	for v in $VARIANTS; do
		touch "$STATE/triaged-$v"
		queue[$v]=$(untriaged "$v")
	done
	while [ -n "$left" ]; do
		left=
		for v in $VARIANTS; do
			[ -n "$stopping" ] || [ $SECONDS -lt $end ] || break 2
			set -- ${queue[$v]}
			[ $# -gt 0 ] || continue
			triage_one "$v" "$1"
			shift
			queue[$v]="$*" left=1
		done
	done
	# Bound the raw crashes: of those triaged, the newest CRASHES_KEEP stay.
	for v in $VARIANTS; do
		ls -t "$CRASHES_ROOT/campaign-$v"/crash-* 2>/dev/null | grep -xFf "$STATE/triaged-$v" |
			tail -n +$((CRASHES_KEEP + 1)) | xargs -r rm -f
	done
}

status() {
	local v line="[$(now) s]" f uniq dups newest rows t0
	# How long triage takes says whether it keeps up with the fuzzers.
	rows=$(wc -l <"$STATE/crashes.tsv") t0=$(date +%s.%N)
	triage
	signatures
	line="$line triaged $(($(wc -l <"$STATE/crashes.tsv") - rows)) in $(echo "$(date +%s.%N) $t0" |
		awk '{ printf "%.1f", $1 - $2 }') s, backlog $(for v in $VARIANTS; do untriaged "$v"; done | wc -l) |"
	for v in $VARIANTS; do
		f=$(figures "$v")
		uniq=$(awk -F'\t' -v v="$v" 'NR > 1 && $2 == v' "$STATE/signatures.tsv" | wc -l)
		dups=$(awk -F'\t' -v v="$v" 'NR > 1 && $2 == v { d += $4 - 1 } END { print d + 0 }' "$STATE/signatures.tsv")
		set -- ${f:-0 0 0 0}
		set -- $(($1 + ${execs_before[$v]})) "$2" "$3" "$4"
		printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(now)" "$v" "$1" "$2" "$3" "$4" "$uniq" "$dups" \
			>>"$STATE/stats.tsv"
		line="$line $v: $1 execs, $2/s, cov $3, corpus $4, crashes $uniq (+$dups dup) |"
	done
	newest=$(awk -F'\t' 'NR > 1 && $6 > m { m = $6 } END { print m + 0 }' "$STATE/signatures.tsv")
	if [ "$(wc -l <"$STATE/signatures.tsv")" -gt 1 ]; then
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
while [ $SECONDS -lt "$total" ]; do
	sleep "$STATUS_EVERY" &
	wait $!
	status
	alive=
	for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
	[ -n "$alive" ] || break
done
stop
