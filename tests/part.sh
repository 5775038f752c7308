# part.sh: sourced by tests/run.sh (and tests/harness.sh, which tests it):
# the accounting of one part of the run.  Needs $log, a scratch file, and
# $only, the chosen parts ("" for all); adds to total_pass, total_fail and
# failed_parts.
# part NAME CMD...: run a part (if chosen), add up its closing line.  The
# part's exit status counts apart from its line: a crash after the line
# (a LeakSanitizer report at exit) or a nonzero status with "0 failed" is
# one failure more.
part() {
	name=$1
	shift
	if [ -n "$only" ] && ! echo " $only " | grep -q " $name "; then
		return
	fi
	{ "$@" 2>&1; echo $? >"$log.status"; } | tee "$log"
	status=$(cat "$log.status")
	line=$(grep -E '^[a-z-]+: [0-9]+ passed, [0-9]+ failed$' "$log" | tail -1)
	if [ -z "$line" ]; then
		echo "$name: no closing line (crashed? exit status $status)"
		total_fail=$((total_fail + 1))
		failed_parts="$failed_parts $name"
		return
	fi
	p=$(echo "$line" | sed -E 's/.*: ([0-9]+) passed.*/\1/')
	f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed$/\1/')
	if [ "$status" != 0 ] && [ "$f" = 0 ]; then
		echo "$name: exit status $status after \"$line\""
		f=1
	elif [ "$status" = 0 ] && [ "$f" != 0 ]; then
		echo "$name: exit status 0 with $f failed"
	fi
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
	[ "$f" = 0 ] || failed_parts="$failed_parts $name"
}
