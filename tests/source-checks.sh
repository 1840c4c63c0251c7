#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# Checks on the source tree itself:
#  1. no banned C functions (style guide: strcpy, strcat, sprintf, ...);
#  2. every long option in the CLI option tables is documented as .Fl in
#     man/*.1, and every documented long option exists (curl's test1139);
#  3. the man pages are clean under groff -ww and, if installed,
#     mandoc -Tlint.
set -u
src=${OV_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
fail=0

banned='\b(strcpy|strcat|sprintf|vsprintf|gets|atoi|strtok|alloca)[[:space:]]*\('
if grep -nE "$banned" "$src"/src/*.[ch] "$src"/cli/*.[ch] "$src"/tests/unit/*.[ch] \
    "$src"/tests/tools/*.c 2>/dev/null; then
	echo "source-checks: banned functions used (see above)"
	fail=1
fi

code_opts=$(sed -n 's/^[[:space:]]*{"\([a-z][a-z-]*\)", *\(no\|required\|optional\)_argument.*/\1/p' \
    "$src"/cli/*.c | sort -u)
man_opts=$(sed -n 's/.*\.Fl -\([a-z][a-z-]*\).*/\1/p; s/.*Fl -\([a-z][a-z-]*\).*/\1/p' \
    "$src"/man/*.1 | sort -u)
for o in $code_opts; do
	if ! echo "$man_opts" | grep -qx -- "$o"; then
		echo "source-checks: option --$o is not documented in man/*.1"
		fail=1
	fi
done
for o in $man_opts; do
	case $o in version) continue ;; esac
	if ! echo "$code_opts" | grep -qx -- "$o"; then
		echo "source-checks: man/*.1 documents --$o, which no command has"
		fail=1
	fi
done

for m in "$src"/man/*.[1-8]; do
	out=$(groff -mandoc -ww -z -Tutf8 "$m" 2>&1)
	if [ -n "$out" ]; then
		echo "source-checks: groff warnings in $m:"
		echo "$out"
		fail=1
	fi
	if command -v mandoc >/dev/null 2>&1; then
		out=$(mandoc -Tlint -W warning "$m" 2>&1 |
		    grep -v 'cross reference to a manual page that cannot be found\|referenced manual not found')
		if [ -n "$out" ]; then
			echo "source-checks: mandoc lint in $m:"
			echo "$out"
			fail=1
		fi
	fi
done

[ $fail = 0 ] && echo "source-checks: ok"
exit $fail
