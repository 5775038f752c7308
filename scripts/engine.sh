# engine.sh: how pagerace launches a fuzzer, in one place: the flags every
# run of libFuzzer or AFL++ takes, the sanitizers' options, AFL++'s
# environment, the OSS-Fuzz .options made from the same flags, and reading
# the "result:" line a pagerace command prints.
# Entry points (sourced from the repository root, `. scripts/engine.sh`, by
# scripts/fuzz.sh, scripts/campaign.sh, bench/*.sh, the fuzz tests and
# oss-fuzz/build.sh): engine_env, libfuzzer, afl_fuzz, libfuzzer_options,
# result_key.  Never what a caller does with a crash, nor a variant's name
# (scripts/variants.sh has those).

# An input is at most FUZZ_MAX_LEN bytes: the decoder (src/lang/decode.c)
# turns a few bytes into a whole program, and longer inputs only slow the
# engines.  The dictionary holds the op bytes.
FUZZ_MAX_LEN=64
# libFuzzer's -len_control: 0 lets inputs grow to FUZZ_MAX_LEN at once.
# Its default, 100, starts them at 4 bytes and lengthens them only when
# coverage stalls, yet the 2021 race needs 8 bytes of ops; a long random
# program holds its shape far sooner (bench/bench.sh measures both: v5.9
# from an empty corpus, median 0.36 s at 0 against 1.48 s at 100, with 2
# walks, 2026-12-02).
FUZZ_LEN_CONTROL=0
FUZZ_DICT=$PWD/fuzz/pagerace.dict
FUZZ_SEEDS=$PWD/fuzz/seeds

# engine_env ENGINE: exports the sanitizers' options for a fuzz target of
# ENGINE (libfuzzer|afl), and for afl AFL++'s environment.  A sanitizer
# report ends the run (halt_on_error=1) with an abort, the crash an engine
# sees; leaks are not the harness's concern (its state lives for the
# process).  AFL++ refuses options that symbolize (too slow in its loop).
# AFL_NO_AFFINITY: the scheduler pins its own threads.
engine_env() {
	local sym=
	[ "$1" = afl ] && sym=:symbolize=0
	export TSAN_OPTIONS="halt_on_error=1:abort_on_error=1:report_signal_unsafe=0$sym"
	export ASAN_OPTIONS="abort_on_error=1:detect_leaks=0$sym"
	export UBSAN_OPTIONS="halt_on_error=1:abort_on_error=1:print_stacktrace=1$sym"
	[ "$1" = afl ] || return 0
	export AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1
}

# FUZZ_KILL_AFTER=S (unset: none): a run still going after S seconds is
# killed (status 124 or 137), for callers that time runs: an input that
# hangs outlives the engines' own time limits.
killer() {
	if [ -n "${FUZZ_KILL_AFTER:-}" ]; then timeout -k 5 "$FUZZ_KILL_AFTER" "$@"; else "$@"; fi
}

# libfuzzer BIN ARG...: the libFuzzer target BIN, with the dictionary and
# the length bound and control, and ARG... (time, seed, corpus folders; a
# later -len_control wins).
libfuzzer() {
	local bin=$1
	[ -x "$bin" ] || { echo "engine: no fuzz target $bin (build it first)" >&2; return 2; }
	shift
	killer "$bin" -dict="$FUZZ_DICT" -max_len="$FUZZ_MAX_LEN" -len_control="$FUZZ_LEN_CONTROL" "$@"
}

# afl_fuzz IN OUT ARG... -- BIN: afl-fuzz from the inputs in IN into OUT,
# with the dictionary and the length bound.
afl_fuzz() {
	local in=$1 out=$2
	shift 2
	killer afl-fuzz -i "$in" -o "$out" -x "$FUZZ_DICT" -G "$FUZZ_MAX_LEN" "$@"
}

# libfuzzer_options TARGET: the OSS-Fuzz TARGET.options file, the same
# flags for ClusterFuzz's runs (its dictionary beside it as TARGET.dict).
libfuzzer_options() {
	printf '[libfuzzer]\nmax_len = %s\nlen_control = %s\ndict = %s.dict\n' "$FUZZ_MAX_LEN" "$FUZZ_LEN_CONTROL" "$1"
}

# result_key KEY: the value of KEY in the last "result: cmd=... KEY=VALUE
# ..." line of a pagerace command's output on stdin (values are
# space-free: a space, a % or a control byte is written %XX, which this
# decodes); nothing when it has no KEY.
result_key() {
	sed -n 's/^result: //p' | tail -1 | tr ' ' '\n' | sed -n "s/^$1=//p" | awk '{
		out = ""
		while (match($0, /%[0-9A-Fa-f][0-9A-Fa-f]/)) {
			hex = tolower(substr($0, RSTART + 1, 2))
			out = out substr($0, 1, RSTART - 1) sprintf("%c", \
				(index("0123456789abcdef", substr(hex, 1, 1)) - 1) * 16 + \
				index("0123456789abcdef", substr(hex, 2, 1)) - 1)
			$0 = substr($0, RSTART + 3)
		}
		print out $0
	}'
}
