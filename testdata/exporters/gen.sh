#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# Regenerates testdata/exporters/app: a signed OCI layout of one image,
# registry.example/exporters/app:v1, whose two layers are real gzip tar
# archives (podman and containerd unpack them; the other fixtures' layers
# are not all tars, or are zstd, which docker-archive refuses). It is the
# input tests/exporters.sh hands to skopeo, podman, ctr, GNU tar and
# bsdtar at test time, and the --signatures bundle for what they write.
# Signed by testdata/keys/signer (jws, 2025-06-01), so it verifies with
# config/strict at the tests' fixed time.
#
#   OVTOOL=/path/to/build/tests/tools/ovtool sh testdata/exporters/gen.sh
#
# Run after mkfixtures.sh has made the keys. Only POSIX tools, GNU tar and
# gzip.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
td=$(cd "$here/.." && pwd)
: "${OVTOOL:?set OVTOOL to the built tests/tools/ovtool}"
pki=$td/keys
T=2025-06-01T00:00:00Z
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

ptar() {
	tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner \
		--format=pax --pax-option=delete=atime,delete=ctime "$@"
}
mkdir -p "$work/r1/etc" "$work/r2/app"
printf 'NAME=ocivet-exporters\n' >"$work/r1/etc/os-release"
printf '#!/bin/sh\necho hello from the exporters fixture\n' >"$work/r2/app/run.sh"
chmod 755 "$work/r2/app/run.sh"
ptar -C "$work/r1" -cf "$work/l1.tar" etc
ptar -C "$work/r2" -cf "$work/l2.tar" app
gzip -n -9 -c "$work/l1.tar" >"$work/l1.tar.gz"
gzip -n -9 -c "$work/l2.tar" >"$work/l2.tar.gz"

rm -rf "$here/app"
"$OVTOOL" init "$here/app"
d=$("$OVTOOL" image "$here/app" --tag v1 --name registry.example/exporters/app:v1 \
	--platform linux/amd64 \
	--compressed-layer "$work/l1.tar.gz:$work/l1.tar" \
	--compressed-layer "$work/l2.tar.gz:$work/l2.tar" | awk '{print $2}')
"$OVTOOL" envelope --layout "$here/app" --target "$d" \
	--key "$pki/signer.key" --chain "$pki/signer.chain.pem" \
	--format jws --signing-time "$T" --agent "ocivet-fixtures/1" -o "$work/env"
"$OVTOOL" attach "$here/app" --target "$d" --envelope "$work/env" \
	--format jws --created "$T" >/dev/null
echo "$d" >"$here/app.digest"
