#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# Documentation stays true:
#  1. every long option in each command's --help appears in its man page
#     man/ocivet-COMMAND.1, and every option the page documents is in the
#     --help (curl's test1139, against what the binary prints);
#  2. the bash completion offers every long option of every --help;
#  3. the README's runnable examples (the block after
#     "<!-- docs-sync:examples -->") run from the source tree and exit 0.
set -u
: "${OCIVET:?}"
src=${OV_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
fail=0

# Options a page names as another command's (cross-references).
xref() {
	case $1:$2 in
	policy:trust-source-scope) return 0 ;;
	esac
	return 1
}

commands=$("$OCIVET" --help | sed -n 's/^  \([a-z][a-z-]*\)  .*/\1/p')
[ -n "$commands" ] || { echo "docs-sync: no commands in ocivet --help"; exit 1; }
for c in $commands; do
	page=$src/man/ocivet-$c.1
	if [ ! -f "$page" ]; then
		echo "docs-sync: $c has no manual page man/ocivet-$c.1"
		fail=1
		continue
	fi
	help=$("$OCIVET" "$c" --help | grep -o -- '--[a-z][a-z-]*' |
	    sed 's/^--//' | sort -u)
	man=$(grep -o 'Fl -[a-z][a-z-]*' "$page" | sed 's/^Fl -//' | sort -u)
	for o in $help; do
		echo "$man" | grep -qx -- "$o" ||
			{ echo "docs-sync: ocivet $c --help has --$o, man/ocivet-$c.1 does not"; fail=1; }
		grep -q -- "--$o\\b" "$src/completion/ocivet" ||
			{ echo "docs-sync: completion/ocivet does not offer --$o ($c)"; fail=1; }
	done
	for o in $man; do
		xref "$c" "$o" && continue
		echo "$help" | grep -qx -- "$o" ||
			{ echo "docs-sync: man/ocivet-$c.1 documents --$o, ocivet $c --help does not"; fail=1; }
	done
	grep -q "^[[:space:]]*$c)" "$src/completion/ocivet" ||
		{ echo "docs-sync: completion/ocivet does not know the command $c"; fail=1; }
done

examples=$(awk '
	$0 == "<!-- docs-sync:examples -->" { want = 1; next }
	want && /^```/ { if (inblock) exit; inblock = 1; next }
	want && inblock && /^ocivet / { print }
' "$src/README.md")
[ -n "$examples" ] || { echo "docs-sync: no README examples found"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/bin" "$tmp/home"
ln -s "$OCIVET" "$tmp/bin/ocivet"
echo "$examples" | while IFS= read -r line; do
	if ! (cd "$src" && HOME=$tmp/home NOTATION_CONFIG= XDG_CONFIG_HOME= \
	    PATH="$tmp/bin:$PATH" sh -c "$line") >"$tmp/out" 2>&1; then
		echo "docs-sync: README example failed: $line"
		sed 's/^/    /' "$tmp/out" | head -20
		echo x >"$tmp/failed"
	fi
done
[ -f "$tmp/failed" ] && fail=1

[ $fail = 0 ] && echo "docs-sync: ok"
exit $fail
