#!/bin/sh
# cli.sh BIN: the command line as a user meets it: exit status 0 ok, 1
# violation, 2 bad usage or bad program, with FILE:LINE messages; random
# bytes never crash or hang it.  Ends with "cli: N passed, N failed".
bin=${1:?usage: cli.sh path/to/pagerace}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL cli: $*" >&2; }

# expect STATUS PATTERN -- ARGS: run bin with ARGS (10 s at most), check the
# exit status and that PATTERN (grep -E) is in stdout+stderr.
expect() {
	want=$1 pattern=$2
	shift 3
	timeout 10 "$bin" "$@" >"$tmp/out" 2>&1
	got=$?
	if [ "$got" != "$want" ]; then
		bad "$* exited $got, not $want: $(head -c 300 "$tmp/out")"
	elif ! grep -qE -- "$pattern" "$tmp/out"; then
		bad "$* printed no '$pattern': $(head -c 300 "$tmp/out")"
	else
		ok
	fi
}

story=corpus/regressions/wilcox-2021-two-cpus.prog
expect 1 '^verdict: lost-pages 3$' -- replay --variant v5.9 "$story"
expect 0 '^verdict: ok$' -- replay --variant v5.10 "$story"
expect 0 '^verdict: ok$' -- replay "$story"
expect 1 '^verdict: double-free$' -- replay --variant v5.10 corpus/regressions/cve-2023-52739-compound.prog
expect 0 'pagerace replay' -- --help
# The refcount sanitizer: the cause in the first replay, silent on the fix, off by default.
expect 1 'PageHead\(p0\): no !! unreferenced-access$' -- replay --refs --variant v5.10 corpus/regressions/shared-get-free.prog
expect 1 'without a reference at codetag-51ff4d7486f0.c:' -- replay --refs \
	--variant-file variants/examples/codetag-51ff4d7486f0.c corpus/regressions/shared-get-free.prog
expect 0 '^verdict: ok$' -- replay --refs --variant-file variants/examples/codetag-0ae0227fa31d.c corpus/regressions/shared-get-free.prog
expect 0 '^verdict: ok$' -- replay --variant v5.10 corpus/regressions/cve-2023-52739-calm.prog
expect 1 '^verdict: unreferenced-access$' -- replay --refs --variant v5.10 corpus/regressions/cve-2023-52739-calm.prog
expect 2 'show takes no --refs' -- show --refs corpus/regressions/shared-get-free.prog
# check-variant --refs: the sanitizer's verdict of every story on the
# user's file, the smoke program still ok; without --refs the plain one.
ex=variants/examples
expect 0 '^  shared-get-free.prog: unreferenced-access$' -- check-variant --refs $ex/codetag-51ff4d7486f0.c
expect 0 '^  smoke program with --refs: ok$' -- check-variant --refs $ex/codetag-51ff4d7486f0.c
expect 0 '^  shared-get-free.prog: ok$' -- check-variant $ex/codetag-51ff4d7486f0.c
"$bin" check-variant --refs $ex/codetag-0ae0227fa31d.c >"$tmp/out" 2>&1
if [ $? = 0 ] && grep -q '^  shared-get-free.prog: ok$' "$tmp/out" && ! grep -q unreferenced-access "$tmp/out"; then
	ok
else
	bad "check-variant --refs on the fixed codetag: $(grep -m3 'unreferenced\|shared-get' "$tmp/out")"
fi
expect 2 'check-variant takes no --seconds' -- check-variant --seconds 1 $ex/codetag-0ae0227fa31d.c
expect 2 'check-variant takes its variant as FILE.c' -- check-variant --variant v5.9 $ex/codetag-0ae0227fa31d.c
expect 2 'check-variant needs a FILE' -- check-variant --refs
expect 2 'one FILE only' -- check-variant $ex/codetag-0ae0227fa31d.c $ex/codetag-0ae0227fa31d.c
expect 2 'no command' --
expect 2 'unknown command' -- frobnicate
expect 2 "unknown option '--bogus'" -- replay --bogus "$story"
expect 2 'needs a value' -- replay --variant
expect 2 "unknown variant 'v4.0'" -- replay --variant v4.0 "$story"
expect 2 'needs a FILE' -- replay
expect 2 'one FILE only' -- replay "$story" "$story"
expect 2 "$tmp/missing.prog: No such file" -- replay "$tmp/missing.prog"
expect 2 'is a directory' -- replay "$tmp"

# Malformed programs: FILE:LINE: message, status 2.
bad_prog() {
	line=$1 pattern=$2 text=$3
	printf '%b' "$text" >"$tmp/bad.prog"
	expect 2 "^$tmp/bad.prog:$line: .*$pattern" -- replay "$tmp/bad.prog"
}
bad_prog 2 "unknown op 'lokup'" 'cache 0\ncpu 0: lokup 0\n'
bad_prog 1 "unknown variant 'v9'" 'variant v9\ncpu 0: lookup 0\n'
bad_prog 1 'power of two' 'pages 12\ncpu 0: lookup 0\n'
bad_prog 1 'too big' 'pages 123456789012\ncpu 0: lookup 0\n'
bad_prog 3 'which the program lacks' 'cpu 0: lookup 0\n\nschedule: 0 1\n'
bad_prog 2 "handle 'b' is never set" 'cpu 0: alloc 0 a\ncpu 1: free b\n'
bad_prog 3 'out of range' 'slots 2\ncpu 0: lookup 0\ncpu 1: remove 5\n'
bad_prog 1 'cpu 9 out of range' 'cpu 9: lookup 0\n'
bad_prog 2 'unexpected byte 0xc3' 'cpu 0: lookup 0  # Sch\303\274tze may write here\ncpu 1: lookup 0 \303\274\n'
# A control byte makes a file the binary form of a fuzz input: it runs.
printf 'cpu 0: lookup 0\ncpu\0 1: lookup 0\n' >"$tmp/nul.prog"
expect 0 '^verdict: ok$' -- replay "$tmp/nul.prog"
expect 0 '^cpu 0:' -- show "$tmp/nul.prog"
expect 0 '^cpu 1: remove 0; alloc 2 a; free a$' -- show fuzz/seeds/story-ops.bin
expect 2 'show takes no --seconds' -- show --seconds 5 fuzz/seeds/story-ops.bin
printf 'cache 0\n' >"$tmp/nocpu.prog"
expect 2 "^$tmp/nocpu.prog: no cpu line" -- replay "$tmp/nocpu.prog"

# hunt finds the story's leak from its ops alone and keeps it; stress runs.
expect 1 '^hunt: lost-pages after [0-9]+ schedules' -- hunt --variant v5.9 --seconds 10 --seed 3 --out "$tmp" "$story"
expect 0 '^hunt: no violation in [0-9]+ schedules' -- hunt --variant v6.2 --seconds 0.3 --strategy pct --out "$tmp" "$story"
expect 0 'rounds/s' -- stress --variant v6.2 --seconds 0.3 --chaos "$story"
expect 2 "--strategy takes random or pct, not 'dfs'" -- hunt --strategy dfs "$story"
expect 2 "--seconds takes a number" -- hunt --seconds -1 "$story"
expect 2 'replay takes no --chaos' -- replay --chaos "$story"

# explore: the seed race needs 3 preemptions.
expect 0 '^explored: 17 schedules, violations: 0$' -- explore --variant v5.9 --preemptions 2 "$story"
expect 1 '^explored: [0-9]+ schedules, violations: [1-9]' -- explore --variant v5.9 --preemptions 3 --out "$tmp" "$story"
expect 0 'cut: --max-schedules 5' -- explore --variant v6.2 --preemptions 3 --max-schedules 5 "$story"
expect 2 '--all-programs takes no FILE' -- explore --all-programs "$story"
expect 2 '--cpus takes a whole number from 1 to 8' -- explore --all-programs --cpus 9

# The result: line (src/cli/main.c; the README's "The result line"): the last line
# of stdout, every key of its command present, in order, with its value.
# result STATUS REGEX -- ARGS: the last line of stdout must be REGEX, whole.
result() {
	want=$1 pattern=$2
	shift 3
	timeout 20 "$bin" "$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	last=$(tail -1 "$tmp/out")
	if [ "$got" != "$want" ]; then
		bad "$* exited $got, not $want: $(head -c 300 "$tmp/err")"
	elif ! printf '%s\n' "$last" | grep -qEx -- "$pattern"; then
		bad "$*: last line '$last' is not '$pattern'"
	else
		ok
	fi
}
# value KEY: KEY's value in the last result: line, as the scripts read it.
. scripts/engine.sh
value() { printf '%s\n' "$last" | result_key "$1"; }
hex='[0-9a-f]{8}'
num='[0-9]+'
secs='[0-9]+\.[0-9]{3}'
minimized="ops_before=4 ops_after=4 preempt_before=3 preempt_after=3 minimize_runs=[1-9][0-9]* minimize_ms=[0-9]+\.[0-9]"
mkdir -p "$tmp/a dir%"
odir=$(printf '%s' "$tmp/a dir%" | sed 's/%/%25/g; s/ /%20/g')
result 1 'result: cmd=replay variant=v5.9 verdict=lost-pages count=3' -- replay --variant v5.9 "$story"
result 1 'result: cmd=replay variant=v5.10 verdict=double-free' -- \
	replay --variant v5.10 corpus/regressions/cve-2023-52739-compound.prog
result 0 'result: cmd=replay variant=v6.2 verdict=ok' -- replay "$story"
result 0 "result: cmd=minimize variant=v5.9 verdict=lost-pages count=1 story=$odir/v5\.9-lost-pages-$hex\.prog signature=lost-pages-$hex $minimized" -- \
	minimize --variant v5.9 --out "$tmp/a dir%" "$story"
kept=$(value story)
if [ -f "$kept" ] && grep -q "^signature: $(value signature) (lost-pages; preempted before " "$tmp/out" &&
	"$bin" replay --variant v5.9 "$kept" | tail -1 | grep -qx 'result: cmd=replay variant=v5.9 verdict=lost-pages count=1'; then
	ok
else
	bad "minimize's story=$kept is no story that replays to its verdict, or signature= is not the printed one"
fi
result 1 'result: cmd=minimize variant=v6.2 verdict=ok' -- minimize --out "$tmp" "$story"
result 1 "result: cmd=hunt variant=v5.9 verdict=lost-pages count=1 tries=[1-9][0-9]* seconds=$secs story=$odir/v5\.9-lost-pages-$hex\.prog signature=lost-pages-$hex $minimized" -- \
	hunt --variant v5.9 --seconds 10 --seed 3 --out "$tmp/a dir%" "$story"
result 0 "result: cmd=hunt variant=v6.2 verdict=ok tries=[1-9][0-9]* seconds=$secs" -- \
	hunt --variant v6.2 --seconds 0.3 --seed 1 --out "$tmp" "$story"
result 0 "result: cmd=stress variant=v6.2 verdict=ok tries=[1-9][0-9]* seconds=$secs" -- stress --seconds 0.2 "$story"
printf 'cpu 0: alloc 0 a; free a; free a\n' >"$tmp/twice.prog"
result 1 "result: cmd=stress variant=v6.2 verdict=refcount-underflow tries=1 seconds=$secs" -- stress --seconds 1 "$tmp/twice.prog"
result 0 "result: cmd=explore variant=v5.9 verdict=ok schedules=17 violations=0 pruned=$num" -- \
	explore --variant v5.9 --preemptions 2 "$story"
result 1 "result: cmd=explore variant=v5.9 verdict=lost-pages count=3 story=$odir/v5\.9-lost-pages-$hex\.prog signature=lost-pages-$hex schedules=$num violations=[1-9][0-9]* pruned=$num" -- \
	explore --variant v5.9 --preemptions 3 --out "$tmp/a dir%" "$story"
[ -f "$(value story)" ] && ok || bad "explore's story=$(value story) is not there"
result 0 "result: cmd=explore variant=v6.2 verdict=ok schedules=$num violations=0 pruned=$num" -- \
	explore --all-programs --cpus 1 --ops 1
# Bad usage reports no outcome: no result: line.
result 2 '' -- replay "$tmp/missing.prog"
result 2 '' -- minimize --out "$tmp/missing-dir" --variant v5.9 "$story"

# A fuzz input stands for its own schedule and the walks its bytes draw
# (PAGERACE_WALKS, as the target ran it): this crash of libFuzzer's, found
# by the third of 8 walks, replays and minimizes to lost pages; with no
# walks its own schedule is clean; a bad PAGERACE_WALKS is refused.
walk=tests/fuzz-crashes/v5.9-walk.bin
PAGERACE_WALKS=8 expect 1 "^schedule: walk 3 of the input's 8" -- replay --variant v5.9 $walk
PAGERACE_WALKS=8 expect 1 '^verdict: lost-pages' -- replay --variant v5.9 $walk
PAGERACE_WALKS=0 expect 0 '^verdict: ok$' -- replay --variant v5.9 $walk
PAGERACE_WALKS=8 expect 0 '^verdict: lost-pages' -- minimize --variant v5.9 --out "$tmp" $walk
PAGERACE_WALKS=8x expect 2 "PAGERACE_WALKS must be a whole number from 0 to 256, not '8x'" -- \
	replay --variant v5.9 $walk
PAGERACE_WALKS=-1 expect 2 "PAGERACE_WALKS must be" -- minimize --variant v5.9 --out "$tmp" $walk
# A text program has no walks: the variable is not even read.
PAGERACE_WALKS=8x expect 1 '^verdict: lost-pages 3$' -- replay --variant v5.9 "$story"

# Random bytes: a clear refusal (2) or a verdict (0, 1); never a signal
# or a hang.
i=0
while [ $i -lt 200 ]; do
	head -c $((i * 7 % 400 + 1)) /dev/urandom >"$tmp/random.prog"
	timeout 10 "$bin" replay "$tmp/random.prog" >/dev/null 2>"$tmp/err"
	st=$?
	if [ $st -gt 2 ]; then
		cp "$tmp/random.prog" crashes/cli-random-$i.bin 2>/dev/null
		bad "random bytes: exit $st (input kept in crashes/)"
	elif [ $st = 2 ] && ! grep -qE "^$tmp/random.prog(:[0-9]+)?: " "$tmp/err"; then
		bad "random bytes: exit 2 without FILE:LINE message: $(cat "$tmp/err")"
	else
		ok
	fi
	i=$((i + 1))
done

# The README's first trace is what replay prints today, line for line.
readme_cmd='build/pagerace replay --variant v5.9 corpus/regressions/wilcox-2021-two-cpus.prog'
awk -v cmd="\$ $readme_cmd" '$0 == cmd { on = 1; next } on && /^```/ { exit } on' README.md >"$tmp/readme.trace"
"$bin" replay --variant v5.9 corpus/regressions/wilcox-2021-two-cpus.prog >"$tmp/replay.trace"
if [ -s "$tmp/readme.trace" ] && cmp -s "$tmp/readme.trace" "$tmp/replay.trace"; then
	ok
else
	bad "README's \$ $readme_cmd is not what it prints: $(diff "$tmp/readme.trace" "$tmp/replay.trace" | head -4)"
fi

# Triage by root cause on the example files (the built-in races:
# tests/test_triage.c).  lookup-no-recheck returns a page its slot lost
# whether the remover is stopped before its put (two preemptions) or runs
# on to free it and allocate it again (one): one bug, one signature.  The
# two broken lookups and the codetag bug are three bugs.
signature_of() { # FILE PROGRAM-TEXT: the signature minimize gives it
	printf "$2" >"$tmp/triage.prog"
	"$bin" minimize --variant-file "$1" --out "$tmp" "$tmp/triage.prog" 2>&1 | result_key signature
}
stopped=$(signature_of $ex/lookup-no-recheck.c 'cache 0\ncpu 0: lookup 0\ncpu 1: remove 0\nschedule: 0 1 0\n')
reused=$(signature_of $ex/lookup-no-recheck.c 'cache 0\ncpu 0: lookup 0\ncpu 1: remove 0; alloc 0 a\nschedule: 0 1 1 1 0\n')
get_page=$(signature_of $ex/lookup-get-page.c 'cache 0\ncpu 0: lookup 0\ncpu 1: remove 0\nschedule: 0 1 1\n')
codetag=$(signature_of $ex/codetag-51ff4d7486f0.c \
	'cache 0\ncpu 0: lookup 0\ncpu 1: remove 0; alloc 0 a; free a\nschedule: 0 1 1 1 1 0 0 1\n')
# A campaign's find: the slots only the setup names go, and it is the
# same program.
printf 'slots 3\ncache 0 1 2\ncpu 0: lookup 1\ncpu 1: remove 1; alloc 0 a; free a\nschedule: 0 1 1 1 1 0 0 1\n' \
	>"$tmp/idle.prog"
"$bin" minimize --variant-file $ex/codetag-51ff4d7486f0.c --out "$tmp" "$tmp/idle.prog" >"$tmp/out" 2>&1
if [ "$(result_key signature <"$tmp/out")" = "$codetag" ] && grep -qx 'cache 0' "$tmp/out"; then
	ok
else
	bad "codetag's find with idle cached slots: $(result_key signature <"$tmp/out"), not $codetag, or not cache 0"
fi
case "$stopped $reused $get_page $codetag" in
use-after-free-*" "use-after-free-*" "use-after-free-*" "use-after-free-*) ok ;;
*) bad "the example bugs' signatures are not all use-after-free: '$stopped' '$reused' '$get_page' '$codetag'" ;;
esac
[ "$stopped" = "$reused" ] && ok || bad "lookup-no-recheck's two shapes give $stopped and $reused"
[ $(printf '%s\n' "$reused" "$get_page" "$codetag" | sort -u | wc -l) = 3 ] && ok ||
	bad "three example bugs share a signature: $reused $get_page $codetag"

echo "cli: $pass passed, $fail failed"
[ $fail = 0 ]
