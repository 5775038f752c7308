#!/bin/sh
# layout.sh: src/'s rooms keep the order src/readme.md gives them: a file
# includes only its own room's headers and those of rooms listed above
# it, and every room has a readme.md.  Ends with "layout: N passed, N failed".
pass=0 fail=0
rooms=$(sed -n 's/^| `\([a-z]*\)\/` |.*/\1/p' src/readme.md)
[ -n "$rooms" ] || { echo "FAIL layout: src/readme.md lists no rooms"; echo "layout: 0 passed, 1 failed"; exit 1; }
rank() { echo "$rooms" | grep -nx "$1" | cut -d: -f1; }
for dir in src/*/; do
	room=$(basename "$dir")
	r=$(rank "$room")
	if [ -z "$r" ]; then
		fail=$((fail + 1))
		echo "FAIL layout: src/$room/ is not a room of src/readme.md"
		continue
	fi
	[ -f "$dir/readme.md" ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL layout: src/$room/ has no readme.md"; }
	for f in "$dir"*.[ch]; do
		for inc in $(sed -n 's/^#include "\([a-z]*\)\/.*/\1/p' "$f" | sort -u); do
			# shim/pagerace/ (the variant's prelude), build/gen/ (the
			# variant table, generated from variants/ for variant/)
			[ "$inc" = pagerace ] || [ "$inc" = gen ] && continue
			ri=$(rank "$inc")
			if [ -n "$ri" ] && [ "$ri" -le "$r" ]; then
				pass=$((pass + 1))
			else
				fail=$((fail + 1))
				echo "FAIL layout: $f includes $inc/, a room below $room/ (src/readme.md)"
			fi
		done
	done
done
echo "layout: $pass passed, $fail failed"
[ $fail = 0 ]
