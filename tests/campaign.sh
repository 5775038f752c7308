#!/bin/sh
# campaign.sh: short fresh campaigns of the correct kernels
# (scripts/variants.sh list correct: v6.2), under TSan
# and under ASan+UBSan (CAMPAIGN_SECONDS each, 60 by default): they must
# end with no crash, a status line, and a report.  Ends with
# "campaign: N passed, N failed".
secs=${CAMPAIGN_SECONDS:-60}
pass=0 fail=0
correct=$(sh scripts/variants.sh list correct | tr '\n' ' ')
for san in thread address; do
	tmp=$(mktemp -d)
	mkdir "$tmp/corpus" "$tmp/regressions"
	make --no-print-directory campaign VARIANTS="$correct" JOBS=1 SANITIZER=$san SECONDS_TOTAL=$secs \
		STATE="$tmp/state" CORPUS_ROOT="$tmp/corpus" REGRESSIONS="$tmp/regressions" >"$tmp/out" 2>&1
	st=$?
	if [ $st != 0 ]; then
		fail=$((fail + 1)); echo "FAIL campaign $san: status $st: $(tail -3 "$tmp/out")"
	elif ! grep -q 'crashes 0 (+0 dup)' "$tmp/out" || grep -q 'new crash' "$tmp/out" ||
		[ -n "$(ls "$tmp/regressions")" ]; then
		fail=$((fail + 1)); echo "FAIL campaign $san: $correct crashed: $(grep -m3 'new crash' "$tmp/out")"
	elif for v in $correct; do grep -q "^| $v | [0-9]" "$tmp/state/report.md" || echo "$v"; done | grep -q . ||
		[ ! -s "$tmp/state/coverage.png" ]; then
		fail=$((fail + 1)); echo "FAIL campaign $san: no report or plots"
	else
		pass=$((pass + 1))
		echo "campaign $san: $(grep '^\[' "$tmp/out" | tail -1)"
	fi
	rm -rf "$tmp"
done
echo "campaign: $pass passed, $fail failed"
[ $fail = 0 ]
