# --jobs 4 checks the blobs of an image at once, but reports the first bad
# one in the image's order (layers[0]), as --jobs 1 does: both layers are
# bad here, layer two so that it fails first (a wrong size, found without
# reading it).
cp -r layouts/jws "$SCRATCH/l"
for f in "$SCRATCH"/l/blobs/sha256/*; do
	if grep -q "layer one" "$f"; then one=$f; fi
	if grep -q "layer two" "$f"; then two=$f; fi
done
printf 'layer 0ne\n' >"$one"
printf 'layer two, longer\n' >"$two"
for j in 4 1; do
	"$OCIVET" verify --jobs $j --at "$AT" --config config/strict "$SCRATCH/l:v1" >"$SCRATCH/out"
	echo "exit $?"
	sed "s|$SCRATCH|SCRATCH|g" "$SCRATCH/out"
done
"$OCIVET" verify -j 0 --at "$AT" --config config/strict "$SCRATCH/l:v1"
