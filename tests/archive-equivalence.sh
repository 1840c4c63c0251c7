#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# An OCI layout verifies the same whether it is a directory or an archive:
# every layout fixture (testdata/layouts, testdata/adversarial/layouts) is
# packed by `ovtool pack` as .tar, .tar.gz and .tar.zst, and ocivet's
# verdicts, messages and exit status for each archive (and with --deep
# for the .tar.zst) must equal the directory's (the path aside, and the
# archive's "missing from archive" wording, and the directory's "in DIR"
# after the expected blob path).
#
# Each layout docker could have saved is also written by `ovtool
# docker-save` as a Docker 25+ save (the layout plus manifest.json) and as
# a classic one (configs and layer tars, verified against the layout as a
# --signatures bundle). The Docker 25+ save must give the directory's exit
# status and VERIFIED lines; the classic one must verify exactly when the
# directory does, with as many VERIFIED images.
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
		want=$(run $deep "$rel" | sed -e "s|$rel|SRC|g" \
		    -e 's|\(is missing (expected [^ ]*\) in SRC)|\1)|')
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
# verdict lines of one kind, with the source path and the name made by
# ovtool docker-save taken out
lines() {
	grep "^$1 " | sed -e "s|^\($1 *\)[^ ]* (|\1SRC (|"
}

nd=0
for dir in "$OV_TESTDATA"/layouts/*/ "$OV_TESTDATA"/adversarial/layouts/*/; do
	dir=${dir%/}
	rel=${dir#"$OV_TESTDATA"/}
	name=$(echo "$rel" | tr / _)
	want=$(run "$rel")
	for kind in oci classic; do
		arc=$scratch/$name.$kind.tar
		"$OVTOOL" docker-save --$kind "$dir" "$arc" 2>"$scratch/err"
		st=$?
		[ $st = 3 ] && continue # not something docker saves
		if [ $st != 0 ]; then
			echo "FAIL $rel: ovtool docker-save --$kind: $(cat "$scratch/err")"
			fail=$((fail + 1))
			continue
		fi
		nd=$((nd + 1))
		if [ $kind = oci ]; then
			got=$(run "$arc")
			ok=1
			[ "$(echo "$want" | tail -n 1)" = "$(echo "$got" | tail -n 1)" ] || ok=0
			[ "$(echo "$want" | lines VERIFIED | sed 's/(sha256:[0-9a-f]*)//')" = \
			  "$(echo "$got" | lines VERIFIED | sed 's/(sha256:[0-9a-f]*)//')" ] || ok=0
		else
			got=$(run --signatures "$rel" "$arc")
			ok=1
			w0=$(echo "$want" | tail -n 1) g0=$(echo "$got" | tail -n 1)
			[ "$w0" = "exit 0" ] && [ "$g0" != "exit 0" ] && ok=0
			[ "$w0" != "exit 0" ] && [ "$g0" = "exit 0" ] && ok=0
			[ "$(echo "$want" | grep -c '^VERIFIED')" = \
			  "$(echo "$got" | grep -c '^VERIFIED')" ] || ok=0
		fi
		if [ $ok = 0 ]; then
			fail=$((fail + 1))
			echo "FAIL $rel as a $kind docker save:"
			printf '%s\n' "$want" | cut -c1-200 | sed 's/^/    dir: /'
			printf '%s\n' "$got" | cut -c1-200 | sed 's/^/    tar: /'
		fi
	done
done

[ $n -gt 0 ] && [ $nd -gt 0 ] ||
	{ echo "archive-equivalence: no layouts found"; exit 99; }
if [ $fail -gt 0 ]; then
	echo "archive-equivalence: $fail of $((n + nd)) archives differ from their directory"
	exit 1
fi
echo "archive-equivalence: $n archives verify exactly as their directories, and $nd docker saves as theirs"
