# A bundle is an OCI layout holding the signed manifest and its
# signatures, but no config or layer: verify run on the bundle itself
# finds the image and fails integrity, naming the missing blob.
T=$PWD
"$OCIVET" bundle export -o "$SCRATCH/b" layouts/jws:v1 >/dev/null || exit
"$OCIVET" bundle export -o "$SCRATCH/b.tar" layouts/jws:v1 >/dev/null || exit
cd "$SCRATCH" || exit
"$OCIVET" verify --at "$AT" --config "$T/config/strict" "b.tar@$(cat "$T/layouts/jws.digest")"
echo "exit $?"
"$OCIVET" verify --at "$AT" --config "$T/config/strict" "b@$(cat "$T/layouts/jws.digest")"
