# A layer blob the verifier may not read: an operational error (exit 2)
# naming the file, not a verdict about the image.
cp -r layouts/jws "$SCRATCH/l" && cp -r config/strict "$SCRATCH/c"
chmod -R a+rX "$SCRATCH"
for f in "$SCRATCH"/l/blobs/sha256/*; do
	if grep -q "layer one" "$f"; then b=$(basename "$f"); fi
done
chmod 000 "$SCRATCH/l/blobs/sha256/$b"
$ASUSER "$OCIVET" verify --at "$AT" --config "$SCRATCH/c" "$SCRATCH/l:v1" \
	>"$SCRATCH/out" 2>"$SCRATCH/err"
st=$?
sed "s|$SCRATCH|SCRATCH|g" "$SCRATCH/out"
sed "s|$SCRATCH|SCRATCH|g" "$SCRATCH/err" >&2
exit $st
