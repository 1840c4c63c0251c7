# A layer blob replaced by a directory.
cp -r layouts/jws "$SCRATCH/l"
for f in "$SCRATCH"/l/blobs/sha256/*; do
	if grep -q "layer one" "$f"; then b=$(basename "$f"); fi
done
rm "$SCRATCH/l/blobs/sha256/$b"
mkdir "$SCRATCH/l/blobs/sha256/$b"
"$OCIVET" verify --at "$AT" --config config/strict "$SCRATCH/l:v1" >"$SCRATCH/out"
st=$?
sed "s|$SCRATCH|SCRATCH|g" "$SCRATCH/out"
exit $st
