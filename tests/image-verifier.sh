#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# `ocivet image-verifier` called as containerd's bindir image verifier
# plugin calls the programs of its bin_dir (containerd 1.7+/2.x,
# plugins/imageverifier/bindir.go): through the wrapper script
# ocivet-image-verifier(1) documents, with exactly the arguments
#   -name NAME -digest DIGEST -stdin-media-type application/vnd.oci.descriptor.v1+json
# and the descriptor as Go's json.Encoder writes it (compact, newline) on
# standard input; the verdict is the exit status (0: pull), the reason
# standard output. Debian's containerd 1.6 has no such plugin, so the
# interface is exercised directly.
#
#   OCIVET=src/ocivet OV_TESTDATA=testdata tests/image-verifier.sh
set -u

: "${OCIVET:?}" "${OV_TESTDATA:?}"
case $OCIVET in /*) ;; *) OCIVET=$PWD/$OCIVET ;; esac
case $OV_TESTDATA in /*) ;; *) OV_TESTDATA=$PWD/$OV_TESTDATA ;; esac
scratch=$(mktemp -d)
. "$(dirname "$0")/testlib.sh"
ov_valgrind_wrap "$scratch"
trap 'rm -rf "$scratch"' EXIT
trap 'exit 1' INT TERM

L=$OV_TESTDATA/layouts
MT=application/vnd.oci.descriptor.v1+json
APPD=sha256:a8cd29779b61cab80f49069e5fd850733857195c6449f8a3b6bced2f089e5997
IDXD=sha256:61a0bce7ef3a28a5a15164942fd2d42755332caa3703d0d8c1c2f4a299a1483b
UNSD=sha256:a842f949fa7f3ba8d8fefc83e7c389a35f301ec635651548b9ced96ddcdb59f7
OCI_M=application/vnd.oci.image.manifest.v1+json
OCI_I=application/vnd.oci.image.index.v1+json

# the site's bundles, one directory; bin_dir holds the documented wrapper
mkdir -p "$scratch/sigs" "$scratch/bin"
cp -r "$OV_TESTDATA/exporters/app" "$scratch/sigs/app"
tar -C "$L/index" -cf "$scratch/sigs/index.tar" .
cat >"$scratch/bin/ocivet" <<EOF
#!/bin/sh
exec "$OCIVET" image-verifier --config "$OV_TESTDATA/config/strict" \\
    --signatures-dir "$scratch/sigs" --at 2026-01-01T00:00:00Z "\$@"
EOF
chmod +x "$scratch/bin/ocivet"

n=0 fail=0
# pull NAME WANT PATTERN DESCRIPTOR [ARGS...]: run the bin_dir program
# as containerd does (ARGS replace containerd's when given)
pull() {
	name=$1 want=$2 pat=$3 desc=$4
	shift 4
	if [ $# = 0 ]; then
		dg=$(printf '%s' "$desc" | sed -n 's/.*"digest":"\([^"]*\)".*/\1/p')
		set -- -name "$name" -digest "$dg" -stdin-media-type $MT
	fi
	out=$(cd "$scratch" && printf '%s\n' "$desc" |
	    HOME=$scratch NOTATION_CONFIG='' XDG_CONFIG_HOME='' \
	    "$scratch/bin/ocivet" "$@" 2>"$scratch/stderr")
	st=$?
	n=$((n + 1))
	if [ $st != "$want" ] || ! printf '%s\n' "$out" | grep -Eq -- "$pat"; then
		fail=$((fail + 1))
		echo "FAIL $name: exit $st, want $want and /$pat/ on stdout"
		printf '%s\n' "$out" | sed 's/^/    /'
		sed 's/^/    stderr: /' "$scratch/stderr"
	else
		echo "ok   $name ($st)"
	fi
}

d() { printf '{"mediaType":"%s","digest":"%s","size":%s%s}' "$1" "$2" "$3" "${4:-}"; }

pull registry.example/exporters/app:v1 0 "^VERIFIED registry.example/exporters/app:v1@$APPD: signature" \
    "$(d $OCI_M $APPD 555)"
# annotations as containerd passes them are fine
pull registry.example/exporters/app:v1 0 "^VERIFIED" \
    "$(d $OCI_M $APPD 555 ',"annotations":{"a":"b"}')"
# a multi-platform image: the index is signed (bundle as an archive)
pull registry.example/index:v1 0 "^VERIFIED registry.example/index:v1@$IDXD" \
    "$(d $OCI_I $IDXD 491)"
# no bundle signs it
pull registry.example/unsigned:v1 1 "^FAILED .*no signature is associated" \
    "$(d $OCI_M $UNSD 691)"
# the signed digest with another size is another descriptor
pull registry.example/exporters/app:v1 1 "^FAILED .*no signature" \
    "$(d $OCI_M $APPD 556)"
# -digest must be the descriptor's
pull digest-mismatch 2 "^ocivet: refused: -digest .* is not the digest of the descriptor" \
    "$(d $OCI_M $APPD 555)" -name registry.example/exporters/app:v1 -digest $UNSD -stdin-media-type $MT
# containerd's verify_on_run input, not understood: refused
pull other-stdin-type 2 "^ocivet: refused: -stdin-media-type" \
    "$(d $OCI_M $APPD 555)" -name registry.example/exporters/app:v1 -digest $APPD \
    -stdin-media-type application/vnd.containerd.image-verifier.input.v1+json
pull operation-run 2 "^ocivet: refused: -operation \"run\"" \
    "$(d $OCI_M $APPD 555)" -name registry.example/exporters/app:v1 -digest $APPD \
    -stdin-media-type $MT -operation run
pull bad-stdin 2 "^ocivet: refused: standard input" "not json" \
    -name registry.example/exporters/app:v1 -digest $APPD -stdin-media-type $MT
pull unknown-flag 2 "^ocivet: refused: bad arguments" "$(d $OCI_M $APPD 555)" \
    -name registry.example/exporters/app:v1 -digest $APPD -stdin-media-type $MT -future x
pull no-name 2 "^ocivet: refused: -name and -digest are required" \
    "$(d $OCI_M $APPD 555)" -digest $APPD -stdin-media-type $MT
# a bundle directory entry that is a symbolic link is refused
ln -s "$scratch/sigs/app" "$scratch/sigs/zz-link"
pull symlinked-bundle 2 "^ocivet: refused: --signatures-dir .*zz-link is not a file or a directory" \
    "$(d $OCI_M $APPD 555)"
rm "$scratch/sigs/zz-link"

echo "image-verifier.sh: $n checks, $fail failed"
[ $fail = 0 ]
