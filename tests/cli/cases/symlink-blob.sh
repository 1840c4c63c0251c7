# A layer blob replaced by a symlink to a file with the right content
# outside the layout: not followed, the image fails.
cp -r layouts/jws "$SCRATCH/l"
for f in "$SCRATCH"/l/blobs/sha256/*; do
	if grep -q "layer one" "$f"; then b=$(basename "$f"); fi
done
mv "$SCRATCH/l/blobs/sha256/$b" "$SCRATCH/outside"
ln -s "$SCRATCH/outside" "$SCRATCH/l/blobs/sha256/$b"
"$OCIVET" verify --at "$AT" --config config/strict "$SCRATCH/l:v1" >"$SCRATCH/out"
st=$?
sed "s|$SCRATCH|SCRATCH|g" "$SCRATCH/out"
exit $st
