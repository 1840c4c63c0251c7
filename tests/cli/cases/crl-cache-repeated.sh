# Two --crl-cache directories, each with one of the two CRLs the chain
# needs: both are searched (with only one, the other certificate's status
# would be unknown and strict would fail).
mkdir "$SCRATCH/a" "$SCRATCH/b"
cp crl/cache/0d3a9fd21318cd417a9e978236af8c9a30b6999a06361143d8bfcaea3d867a63 "$SCRATCH/a/"
cp crl/cache/590952247fbe44bfaa5c8d19d4127033aac7c8f749ae059f7e60b690e7f7d6ae "$SCRATCH/b/"
"$OCIVET" verify --at "$AT" --config config/strict --crl-cache "$SCRATCH/a" --crl-cache "$SCRATCH/b" layouts/crl:v1
echo "--- only the first:"
"$OCIVET" verify --at "$AT" --config config/strict --crl-cache "$SCRATCH/a" layouts/crl:v1
