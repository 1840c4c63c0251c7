#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# An OCI layout verifies the same whether it is a directory or an archive:
# every layout fixture (testdata/layouts, testdata/adversarial/layouts) is
# packed by `ovtool pack` as .tar, .tar.gz and .tar.zst, and ocivet's
# verdicts, messages and exit status for each archive (and with --deep
# for the .tar.zst) must equal the directory's (the path aside, and the
# archive's "missing from archive" wording).
#
#   OCIVET=src/ocivet OVTOOL=tests/tools/ovtool OV_TESTDATA=testdata \
#       tests/archive-equivalence.sh
set -u

: "${OCIVET:?}" "${OVTOOL:?}" "${OV_TESTDATA:?}"
AT=2026-01-01T00:00:00Z
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# the output of one run, with its path made "SRC" and the exit status last
run() {
	(cd "$OV_TESTDATA" && HOME=$scratch NOTATION_CONFIG='' XDG_CONFIG_HOME='' \
	    "$OCIVET" verify --at $AT --config config/strict "$@" 2>&1
	echo "exit $?")
}

n=0 fail=0
for dir in "$OV_TESTDATA"/layouts/*/ "$OV_TESTDATA"/adversarial/layouts/*/; do
	dir=${dir%/}
	rel=${dir#"$OV_TESTDATA"/}
	name=$(echo "$rel" | tr / _)
	for deep in "" --deep; do
		want=$(run $deep "$rel" | sed "s|$rel|SRC|g")
		exts="tar tar.gz tar.zst"
		[ -n "$deep" ] && exts=tar.zst
		for ext in $exts; do
			arc=$scratch/$name.$ext
			[ -f "$arc" ] || "$OVTOOL" pack "$dir" "$arc" || {
				echo "FAIL $rel: ovtool pack $ext"
				fail=$((fail + 1))
				continue
			}
			got=$(run $deep "$arc" | sed -e "s|$arc|SRC|g" \
			    -e 's| is missing from archive SRC (| is missing (|')
			n=$((n + 1))
			if [ "$got" != "$want" ]; then
				fail=$((fail + 1))
				echo "FAIL $rel as .$ext${deep:+ with $deep}:"
				printf '%s\n' "$want" >"$scratch/want"
				printf '%s\n' "$got" >"$scratch/got"
				diff "$scratch/want" "$scratch/got" | head -10
			fi
		done
	done
done
[ $n -gt 0 ] || { echo "archive-equivalence: no layouts found"; exit 99; }
if [ $fail -gt 0 ]; then
	echo "archive-equivalence: $fail of $n archives differ from their directory"
	exit 1
fi
echo "archive-equivalence: $n archives verify exactly as their directories"
