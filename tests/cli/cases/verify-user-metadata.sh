# -m/--user-metadata: a signature whose user metadata (payload
# targetArtifact annotations) holds the pairs verifies; a missing key or
# a different value fails it with what it holds (notation verify -m).
cp -R layouts/unsigned "$SCRATCH/l"
chmod -R u+w "$SCRATCH/l"
d=sha256:a842f949fa7f3ba8d8fefc83e7c389a35f301ec635651548b9ced96ddcdb59f7
"$OVTOOL" envelope --layout "$SCRATCH/l" --target "$d" \
    --key keys/signer.key --chain keys/signer.chain.pem --format jws \
    --signing-time 2025-06-01T00:00:00Z --annotation io.example.build=42 \
    --annotation io.example.team=ops -o "$SCRATCH/env" || exit 99
"$OVTOOL" attach "$SCRATCH/l" --target "$d" --envelope "$SCRATCH/env" \
    --format jws --created 2025-06-01T00:00:00Z >/dev/null || exit 99
v() {
	"$OCIVET" verify --config config/strict --at "$AT" "$@" "$SCRATCH/l" \
	    >"$SCRATCH/out"
	st=$?
	sed "s|$SCRATCH|SCRATCH|g; s/signature sha256:[0-9a-f]*/signature SIG/" "$SCRATCH/out"
	echo "exit $st"
}
echo "== match"
v -m io.example.build=42 --user-metadata io.example.team=ops
echo "== wrong value"
v -m io.example.build=43
echo "== missing key, json"
"$OCIVET" verify --config config/strict --at "$AT" --format json \
    -m io.example.missing=x "$SCRATCH/l" |
    sed -n 's/.*"\(error[a-z_]*\)".*:\t*\(.*\)/\1 \2/p' | sed "s|$SCRATCH|SCRATCH|g"
echo "== no user metadata at all"
"$OCIVET" verify --config config/strict --at "$AT" -m a=b layouts/jws
echo "exit $?"
echo "== bad option"
"$OCIVET" verify --config config/strict -m novalue layouts/jws
echo "exit $?"
