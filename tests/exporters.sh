#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# Archives written by real exporters verify (issue 8, items 8 to 10), and
# a tampered copy of each still fails. The input is the committed signed
# layout testdata/exporters/app (gen.sh there); what the tools make from
# it is made here, at test time, with the tools users have:
#
#   skopeo copy oci:app:v1 docker-archive:...   docker-archive: each layer
#   podman save --format docker-archive          once as <diffid>.tar, and
#                                                <id>/layer.tar links to it
#   ctr images export (containerd, private root) layout + manifest.json
#                                                whose Layers are the blobs
#   tar cf images.tar images/, bsdtar -cf ...    the layout under its top
#                                                directory
#
# docker-archive and ctr exports hold no signature: they are verified with
# the layout as the --signatures bundle. Each tool that is missing, or
# cannot run here (containerd and podman need root or user namespaces),
# is skipped with a message; then the test reports SKIP (77) unless a
# check of the tools that ran failed (.ci/run installs them all).
#
#   OCIVET=src/ocivet OV_TESTDATA=testdata tests/exporters.sh
set -u

: "${OCIVET:?}" "${OV_TESTDATA:?}"
case $OCIVET in /*) ;; *) OCIVET=$PWD/$OCIVET ;; esac
case $OV_TESTDATA in /*) ;; *) OV_TESTDATA=$PWD/$OV_TESTDATA ;; esac
AT=2026-01-01T00:00:00Z
app=$OV_TESTDATA/exporters/app
scratch=$(mktemp -d)
. "$(dirname "$0")/testlib.sh"
ov_valgrind_wrap "$scratch"
cleanup() {
	ov_containerd_stop
	rm -rf "$scratch"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

n=0 fail=0 ran=0 skipped=0
have() { command -v "$1" >/dev/null 2>&1; }
skip() { echo "SKIP $1"; skipped=$((skipped + 1)); }

# expect NAME EXIT ARCHIVE [ocivet options]: ocivet's exit status, and
# for 0 a VERIFIED line naming the signed image
expect() {
	name=$1 want=$2 arc=$3
	shift 3
	out=$(cd "$scratch" && HOME=$scratch NOTATION_CONFIG='' XDG_CONFIG_HOME='' \
	    "$OCIVET" verify --at $AT --config "$OV_TESTDATA/config/strict" "$@" "$arc" 2>&1)
	st=$?
	n=$((n + 1))
	ok=1
	[ $st = "$want" ] || ok=0
	if [ "$want" = 0 ]; then
		echo "$out" | grep -q '^VERIFIED .*sha256:a8cd29779b61cab80f49069e5fd850733857195c6449f8a3b6bced2f089e5997\|^VERIFIED .*registry.example/exporters/app:v1' || ok=0
		echo "$out" | grep -q '^FAILED' && ok=0
	fi
	if [ $ok = 1 ]; then
		echo "ok   $name"; [ -n "${OV_EXPORTERS_VERBOSE:-}" ] && echo "$out" | cut -c1-250 | sed "s|^|    |"
	else
		fail=$((fail + 1))
		echo "FAIL $name: exit $st, want $want"
		echo "$out" | cut -c1-300 | sed 's/^/    /'
	fi
}

# retar DIR OUT: an archive of DIR's content as GNU tar writes it
# (symbolic links kept as links)
retar() {
	tar --sort=name --owner=0 --group=0 --numeric-owner -C "$1" -cf "$2" .
}

# tamper DIR FILE: change FILE's bytes, keeping its name and size
tamper() {
	chmod u+w "$1/$2"
	printf 'X' | dd of="$1/$2" bs=1 seek=600 conv=notrunc 2>/dev/null
}

policy=$scratch/policy.json
echo '{"default":[{"type":"insecureAcceptAnything"}]}' >"$policy"

# --------------------------------------------------------------------------
# skopeo: docker-archive
# --------------------------------------------------------------------------
if have skopeo; then
	sk=$scratch/skopeo.tar
	if skopeo --policy "$policy" copy -q "oci:$app:v1" \
	    "docker-archive:$sk:registry.example/exporters/app:v1" 2>"$scratch/err"; then
		ran=1
		if ! tar tvf "$sk" | grep -q '^l.*/layer.tar -> \.\./[0-9a-f]*\.tar$'; then
			fail=$((fail + 1))
			echo "FAIL skopeo docker-archive: no <id>/layer.tar -> ../<diffid>.tar link (did skopeo change?)"
		fi
		expect skopeo-docker-archive 0 "$sk" --signatures "$app"
		rm -rf "$scratch/x" && mkdir "$scratch/x" && tar -C "$scratch/x" -xf "$sk"
		l=$(cd "$scratch/x" && ls | grep '^[0-9a-f]*\.tar$' | head -n 1)
		tamper "$scratch/x" "$l"
		retar "$scratch/x" "$scratch/skopeo-tampered.tar"
		expect skopeo-docker-archive-tampered 1 "$scratch/skopeo-tampered.tar" --signatures "$app"
	else
		skip "skopeo: $(head -c 300 "$scratch/err")"
	fi
else
	skip "skopeo: not installed"
fi

# --------------------------------------------------------------------------
# podman: save --format docker-archive, from a private vfs store
# --------------------------------------------------------------------------
if have podman; then
	P="podman --root $scratch/pr --runroot $scratch/prr --storage-driver vfs --events-backend none"
	pd=$scratch/podman.tar
	if id=$($P pull -q --signature-policy "$policy" "oci:$app:v1" 2>"$scratch/err") &&
	    $P tag "$id" registry.example/exporters/app:v1 2>>"$scratch/err" &&
	    $P save -q --format docker-archive -o "$pd" registry.example/exporters/app:v1 2>>"$scratch/err"; then
		ran=1
		expect podman-docker-archive 0 "$pd" --signatures "$app"
		rm -rf "$scratch/x" && mkdir "$scratch/x" && tar -C "$scratch/x" -xf "$pd"
		# podman and skopeo share their writer: swap the two layers
		set -- $(cd "$scratch/x" && ls | grep '^[0-9a-f]*\.tar$')
		mv "$scratch/x/$1" "$scratch/x/tmp" && mv "$scratch/x/$2" "$scratch/x/$1" &&
		    mv "$scratch/x/tmp" "$scratch/x/$2"
		retar "$scratch/x" "$scratch/podman-tampered.tar"
		expect podman-docker-archive-layers-swapped 1 "$scratch/podman-tampered.tar" --signatures "$app"
	else
		skip "podman: $(head -c 300 "$scratch/err")"
	fi
	chmod -R u+w "$scratch/pr" 2>/dev/null
else
	skip "podman: not installed"
fi

# --------------------------------------------------------------------------
# containerd: ctr images export (containerd run with a private root,
# state and socket, stopped on exit)
# --------------------------------------------------------------------------
if have containerd && have ctr; then
	c=$scratch/ctd
	ov_containerd_start "$c"
	C=$OV_CTR
	tar -C "$app" -cf "$scratch/app-oci.tar" .
	ce=$scratch/ctr.tar
	if $C version >/dev/null 2>&1 &&
	    $C images import "$scratch/app-oci.tar" >/dev/null 2>"$scratch/err" &&
	    $C images export "$ce" registry.example/exporters/app:v1 2>>"$scratch/err"; then
		ran=1
		expect ctr-export 0 "$ce" --signatures "$app"
		rm -rf "$scratch/x" && mkdir "$scratch/x" && tar -C "$scratch/x" -xf "$ce"
		# manifest.json names the signed blobs, but in another order
		sed 's/"Layers":\["\([^"]*\)","\([^"]*\)"\]/"Layers":["\2","\1"]/' \
		    "$scratch/x/manifest.json" >"$scratch/mj"
		cmp -s "$scratch/mj" "$scratch/x/manifest.json" &&
		    { fail=$((fail + 1)); echo "FAIL ctr: manifest.json Layers not swapped"; }
		cp "$scratch/mj" "$scratch/x/manifest.json"
		retar "$scratch/x" "$scratch/ctr-swapped.tar"
		expect ctr-export-layers-swapped 1 "$scratch/ctr-swapped.tar" --signatures "$app"
		rm -rf "$scratch/x" && mkdir "$scratch/x" && tar -C "$scratch/x" -xf "$ce"
		tamper "$scratch/x" blobs/sha256/cf6f1ba205e8ce845f4da9da0fe522dbe0888349e89dc0af873cf0b9108fa01f
		retar "$scratch/x" "$scratch/ctr-tampered.tar"
		expect ctr-export-tampered 1 "$scratch/ctr-tampered.tar" --signatures "$app"
	else
		skip "ctr: $(head -c 300 "$scratch/err" 2>/dev/null) $(tail -n 3 "$c/log")"
	fi
	ov_containerd_stop
else
	skip "containerd: not installed"
fi

# --------------------------------------------------------------------------
# The layout archived with its top directory: GNU tar and bsdtar
# --------------------------------------------------------------------------
mkdir -p "$scratch/top"
cp -r "$app" "$scratch/top/images"
chmod -R u+w "$scratch/top"
cp -r "$scratch/top" "$scratch/top-bad"
tamper "$scratch/top-bad/images" blobs/sha256/cf6f1ba205e8ce845f4da9da0fe522dbe0888349e89dc0af873cf0b9108fa01f
if have tar; then
	ran=1
	tar -C "$scratch/top" -cf "$scratch/gnu.tar" images/
	expect gnu-tar-top-directory 0 "$scratch/gnu.tar"
	tar -C "$scratch/top" -czf "$scratch/gnu.tar.gz" ./images
	expect gnu-tar-top-directory-dot-gz 0 "$scratch/gnu.tar.gz"
	tar -C "$scratch/top-bad" -cf "$scratch/gnu-bad.tar" images/
	expect gnu-tar-top-directory-tampered 1 "$scratch/gnu-bad.tar"
	# something else at the root beside the directory: no layout
	printf x >"$scratch/top/README"
	tar -C "$scratch/top" -cf "$scratch/gnu-two.tar" images README
	rm "$scratch/top/README"
	expect gnu-tar-top-directory-and-file 1 "$scratch/gnu-two.tar"
fi
if have bsdtar; then
	ran=1
	bsdtar -C "$scratch/top" -cf "$scratch/bsd.tar" images
	expect bsdtar-top-directory 0 "$scratch/bsd.tar"
	bsdtar -C "$scratch/top-bad" -cf "$scratch/bsd-bad.tar" images
	expect bsdtar-top-directory-tampered 1 "$scratch/bsd-bad.tar"
else
	skip "bsdtar: not installed"
fi

if [ $fail -gt 0 ]; then
	echo "exporters: $fail of $n checks failed"
	exit 1
fi
if [ $ran = 0 ] || [ $skipped -gt 0 ]; then
	echo "exporters: $n checks passed, $skipped tools skipped"
	exit 77
fi
echo "exporters: $n checks passed"
