#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# containerd's image store as a SOURCE (issue 14), on a store written by
# a real containerd: Debian's containerd is started with a private root,
# state directory and socket under a scratch directory (no CRI plugin;
# inside `unshare -n` when that works), fixture images are imported into
# the k8s.io namespace with `ctr images import`, then ocivet reads ROOT:
#
#   - while containerd runs (meta.db open and locked by it), then stopped
#   - signed images verify with their --signatures bundle, by name, by
#     digest and all together; a signature on the index or on the node's
#     platform manifest verifies a multi-platform image, one on another
#     platform does not; the unsigned image fails
#   - a blob changed on disk fails; a layer deleted as
#     discard_unpacked_layers does fails, and passes only with
#     --manifest-only, marked "integrity": "manifest-only"
#   - a blob replaced by a symbolic link fails; a damaged meta.db fails
#     with a message, never a crash
#   - nothing under ROOT changes: every file's content, size, mode and
#     mtime are hashed before and after
#
# Exits 77 (skip) with a note where containerd cannot run.
#
#   OCIVET=src/ocivet OV_TESTDATA=testdata tests/containerd.sh
set -u

: "${OCIVET:?}" "${OV_TESTDATA:?}"
case $OCIVET in /*) ;; *) OCIVET=$PWD/$OCIVET ;; esac
case $OV_TESTDATA in /*) ;; *) OV_TESTDATA=$PWD/$OV_TESTDATA ;; esac
AT=2026-01-01T00:00:00Z
L=$OV_TESTDATA/layouts
APP=$OV_TESTDATA/exporters/app
scratch=$(mktemp -d)
. "$(dirname "$0")/testlib.sh"
ov_valgrind_wrap "$scratch"
cleanup() {
	ov_containerd_stop
	rm -rf "$scratch"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

have() { command -v "$1" >/dev/null 2>&1; }
if ! have containerd || ! have ctr; then
	echo "SKIP containerd: containerd or ctr is not installed"
	exit 77
fi

c=$scratch/ctd
R=$c/root
if ! ov_containerd_start "$c"; then
	echo "SKIP containerd: cannot start here: $(tail -n 3 "$c/log")"
	exit 77
fi
C="$OV_CTR -n k8s.io"

# import NAME LAYOUT: the layout's images, named NAME:<its tag>; the
# fixtures' layers are not real tars, so nothing is unpacked
import() {
	tar -C "$2" -cf "$scratch/$1.tar" .
	$C images import --no-unpack --base-name "registry.example/$1" \
	    "$scratch/$1.tar" >/dev/null 2>>"$scratch/import.err"
}
tar -C "$APP" -cf "$scratch/app.tar" .
if ! $C images import --no-unpack "$scratch/app.tar" >/dev/null 2>"$scratch/import.err" ||
    ! import index "$L/index" || ! import unsigned "$L/unsigned"; then
	echo "FAIL ctr images import: $(head -c 500 "$scratch/import.err")"
	exit 1
fi

n=0 fail=0
# expect NAME EXIT PATTERN SOURCE [ocivet options]: exit status, and
# PATTERN (grep -E) in the output
expect() {
	name=$1 want=$2 pat=$3 src=$4
	shift 4
	out=$(cd "$scratch" && HOME=$scratch NOTATION_CONFIG='' XDG_CONFIG_HOME='' \
	    "$OCIVET" verify --at $AT --config "$OV_TESTDATA/config/strict" "$@" "$src" 2>&1)
	st=$?
	n=$((n + 1))
	if [ $st != "$want" ] || ! printf '%s\n' "$out" | grep -Eq -- "$pat"; then
		fail=$((fail + 1))
		echo "FAIL $name: exit $st, want $want and /$pat/"
		printf '%s\n' "$out" | sed 's/^/    /'
	else
		echo "ok   $name"
	fi
}

B="--signatures $APP --signatures $L/index"
APPD=sha256:a8cd29779b61cab80f49069e5fd850733857195c6449f8a3b6bced2f089e5997

# while containerd runs and holds meta.db
expect running 0 "^VERIFIED containerd:$R#k8s.io:registry.example/exporters/app:v1 " \
    "containerd:$R#k8s.io:registry.example/exporters/app:v1" $B
ov_containerd_stop
blobs=$R/io.containerd.content.v1.content/blobs/sha256
# the arm64 manifest of the index image, as before containerd's garbage
# collector removes it (it may not have run yet): it must not count
arm=797863bcdd18f52d72290a1eeaada7412d2d9fb6bec6d5dc7b46a477c436c535
cp "$L/index/blobs/sha256/$arm" "$blobs/$arm"

# everything ocivet reads: content, size, mode, mtime of every file
snapshot() {
	(cd "$R" && find . -printf '%p %y %s %m %T@\n' | LC_ALL=C sort &&
	    find . -type f | LC_ALL=C sort | xargs sha256sum) | sha256sum
}
# ro: the store is as it was when $before was taken
ro() {
	n=$((n + 1))
	if [ "$(snapshot)" = "$before" ]; then
		echo "ok   read-only ($1)"
	else
		fail=$((fail + 1))
		echo "FAIL read-only ($1): the store changed"
	fi
}
before=$(snapshot)

expect all 1 "^FAILED +containerd:$R#k8s.io:registry.example/unsigned:v1 .*no signature" \
    "containerd:$R" $B
expect all-verified 1 "^VERIFIED containerd:$R#k8s.io:registry.example/index:v1 " \
    "containerd:$R" $B
expect by-name 0 "^VERIFIED .*registry.example/exporters/app:v1" \
    "containerd:$R:registry.example/exporters/app:v1" $B
expect by-digest 0 "^VERIFIED .*$APPD" "containerd:$R#k8s.io@$APPD" $B
expect json-name 0 '"name":[[:space:]]*"registry.example/index:v1"' \
    "containerd:$R#k8s.io:registry.example/index:v1" $B --format json
expect unsigned 1 "no signature is associated" \
    "containerd:$R#k8s.io:registry.example/unsigned:v1" $B
expect no-namespace 2 'no images in namespace "default"' \
    "containerd:$R#default" $B
# a signature on the node's platform manifest verifies the index, though
# arm64's is present unsigned; one on another platform's does not (the
# fixture signs arm64 and the index)
case $(uname -m) in
x86_64 | amd64)
	expect platform-signed 0 "^VERIFIED .*registry.example/index:v1" \
	    "containerd:$R#k8s.io:registry.example/index:v1" --signatures "$L/multi"
	mkdir "$scratch/other"
	cp -r "$L/index/blobs" "$L/index/oci-layout" "$scratch/other/"
	# the bundle without the index's signature: only arm64's is left
	ix=61a0bce7ef3a28a5a15164942fd2d42755332caa3703d0d8c1c2f4a299a1483b
	sg=0489a043a2a7626b41bf542a76031759686ccd6e8061cc39fa33b84fbf1b72f1
	printf '{"schemaVersion":2,"manifests":[%s,%s]}' \
	    "{\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"digest\":\"sha256:$ix\",\"size\":$(wc -c <"$L/index/blobs/sha256/$ix")}" \
	    "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"sha256:$sg\",\"size\":$(wc -c <"$L/index/blobs/sha256/$sg")}" \
	    >"$scratch/other/index.json"
	expect other-platform-signed 1 "no signature is associated with the image" \
	    "containerd:$R#k8s.io:registry.example/index:v1" --signatures "$scratch/other"
	;;
esac

ro verify

# the arm64 manifest, gone as containerd's garbage collector removes it
rm -f "$blobs/$arm"
before=$(snapshot)
expect platform-absent 1 "index sha256:61a0bce7ef3a[0-9a-f]*: none of its manifests for platform linux/arm64 is in the content store" \
    "containerd:$R#k8s.io:registry.example/index:v1" $B --platform linux/arm64
expect bad-platform 2 "--platform: expected OS/ARCH" \
    "containerd:$R#k8s.io:registry.example/index:v1" $B --platform amd64
ro platform

# export (issue 15): the store's blobs are captured as they are hashed,
# as a layout directory's; OUT verifies again without --signatures (the
# bundle's signatures travel with the image) and holds the image
# verify_export NAME OUT PATTERN: OUT verifies, its index.json matches
verify_export() {
	n=$((n + 1))
	if (cd "$scratch" && HOME=$scratch NOTATION_CONFIG='' XDG_CONFIG_HOME='' 	    "$OCIVET" verify --at $AT --config "$OV_TESTDATA/config/strict" "$2") 	    >"$scratch/xv" 2>&1 && tar -xOf "$2" index.json | grep -q "$3"; then
		echo "ok   $1"
	else
		fail=$((fail + 1))
		echo "FAIL $1: $(head -c 400 "$scratch/xv")"
	fi
}
xport() {
	(cd "$scratch" && HOME=$scratch NOTATION_CONFIG='' XDG_CONFIG_HOME='' 	    "$OCIVET" export -q --at $AT --config "$OV_TESTDATA/config/strict" "$@")
}
xport -o "$scratch/x-app.tar" "containerd:$R#k8s.io:registry.example/exporters/app:v1" $B \
    >"$scratch/xe" 2>&1
verify_export export-app "$scratch/x-app.tar" "$APPD"
# signed on the index, whose arm64 manifest the store does not hold: the
# index cannot be exported whole, and nothing is written
n=$((n + 1))
if xport -o "$scratch/x-idx.tar" "containerd:$R#k8s.io:registry.example/index:v1" $B \
    >"$scratch/xe" 2>&1 || [ -e "$scratch/x-idx.tar" ] ||
    ! grep -q "not read while verifying" "$scratch/xe"; then
	fail=$((fail + 1))
	echo "FAIL export-partial-index: $(head -c 400 "$scratch/xe")"
else
	echo "ok   export-partial-index"
fi
case $(uname -m) in
x86_64 | amd64)
	# signed on the node's platform manifest: that manifest is the
	# image exported, with its signature
	amd=$(python3 -c 'import json,sys; print([m["digest"] for m in json.load(open(sys.argv[1]))["manifests"] if m.get("platform",{}).get("architecture")=="amd64"][0])' \
	    "$L/index/blobs/sha256/61a0bce7ef3a28a5a15164942fd2d42755332caa3703d0d8c1c2f4a299a1483b")
	xport -o "$scratch/x-plat.tar" "containerd:$R#k8s.io:registry.example/index:v1" \
	    --signatures "$L/multi" >"$scratch/xe" 2>&1
	verify_export export-platform-manifest "$scratch/x-plat.tar" "$amd"
	;;
esac
ro export

# a changed blob: the app's config, same size
cfg=$(sed -n 's/.*"config":{[^}]*"digest":"sha256:\([0-9a-f]*\)".*/\1/p' "$blobs/${APPD#sha256:}")
[ -z "$cfg" ] && cfg=$(tr -d '\n\t ' <"$blobs/${APPD#sha256:}" |
    sed -n 's/.*"config":{[^}]*"digest":"sha256:\([0-9a-f]*\)".*/\1/p')
layer=$(tr -d '\n\t ' <"$blobs/${APPD#sha256:}" |
    sed -n 's/.*"layers":\[{[^}]*"digest":"sha256:\([0-9a-f]*\)".*/\1/p')
cp "$blobs/$cfg" "$scratch/cfg.keep"
printf 'X' | dd of="$blobs/$cfg" bs=1 seek=10 conv=notrunc 2>/dev/null
before=$(snapshot)
expect changed-blob 1 "does not match its digest" \
    "containerd:$R#k8s.io:registry.example/exporters/app:v1" $B
cp "$scratch/cfg.keep" "$blobs/$cfg"
# a blob replaced by a symbolic link to the same bytes
mv "$blobs/$cfg" "$scratch/cfg.real"
ln -s "$scratch/cfg.real" "$blobs/$cfg"
before=$(snapshot)
expect symlinked-blob 1 "symbolic link, which is not followed" \
    "containerd:$R#k8s.io:registry.example/exporters/app:v1" $B
ro symlink
rm "$blobs/$cfg"
mv "$scratch/cfg.real" "$blobs/$cfg"

# a layer deleted after unpacking (discard_unpacked_layers)
mv "$blobs/$layer" "$scratch/layer.keep"
before=$(snapshot)
expect deleted-layer 1 "layer blobs are absent from the content store.*discard_unpacked_layers" \
    "containerd:$R#k8s.io:registry.example/exporters/app:v1" $B
expect deleted-layer-manifest-only 0 '"integrity":[[:space:]]*"manifest-only"' \
    "containerd:$R#k8s.io:registry.example/exporters/app:v1" $B --manifest-only --format json
ro manifest-only
mv "$scratch/layer.keep" "$blobs/$layer"

# a damaged meta.db: both meta pages' checksums broken
cp -r "$R" "$scratch/broken"
db=$scratch/broken/io.containerd.metadata.v1.bolt/meta.db
printf 'XXXX' | dd of="$db" bs=1 seek=20 conv=notrunc 2>/dev/null
printf 'XXXX' | dd of="$db" bs=1 seek=4116 conv=notrunc 2>/dev/null
expect damaged-meta-db 1 "meta.db: not a bbolt database, or both meta pages are damaged" \
    "containerd:$scratch/broken" $B
# meta.db as a symbolic link
rm "$db"
ln -s "$R/io.containerd.metadata.v1.bolt/meta.db" "$db"
expect symlinked-meta-db 1 "symbolic link, which is not followed" \
    "containerd:$scratch/broken" $B

echo "containerd.sh: $n checks, $fail failed"
[ $fail = 0 ]
