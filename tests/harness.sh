#!/bin/sh
# harness.sh: the test harness's own accounting (tests/part.sh) counts
# what a part's closing line hides: a part that prints "0 failed" and then
# exits nonzero (a LeakSanitizer report at exit does that), a part with no
# closing line, and its failures as printed.  Ends with
# "harness: N passed, N failed".
pass=0 fail=0
log=$(mktemp)
trap 'rm -f "$log" "$log.status"' EXIT
only=
expect() { # WHAT WANT_PASS WANT_FAIL: the totals after one part
	if [ "$total_pass $total_fail" = "$2 $3" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL harness: $1: totals $total_pass passed, $total_fail failed; want $2, $3"
	fi
}
. tests/part.sh

fake() { echo "fake: $1 passed, $2 failed"; return "$3"; }
run() { total_pass=0 total_fail=0 failed_parts=; part fake "$@" >/dev/null; }

run fake 3 0 0
expect "a clean part" 3 0
run fake 3 0 23
expect "exit status 23 after '0 failed'" 3 1
run fake 3 2 1
expect "two failures and status 1" 3 2
run sh -c 'echo half a line; exit 0'
expect "no closing line" 0 1
run sh -c 'echo "fake: 5 passed, 0 failed"; kill -SEGV $$'
expect "a crash after the closing line" 5 1
only=other
run fake 3 0 0
expect "a part not chosen" 0 0

echo "harness: $pass passed, $fail failed"
[ $fail = 0 ]
