# the same as tar, tar.gz and tar.zst: checked, then unpacked privately
for ext in tar tar.gz tar.zst; do
	"$OCIVET" trust create --config config/microsoft-shape --name shape \
	    --at "$AT" -o "$SCRATCH/b.$ext" | sed "s|$SCRATCH|SCRATCH|g"
	"$OCIVET" trust check --at "$AT" --format json "$SCRATCH/b.$ext" |
	    sed "s|$SCRATCH|SCRATCH|g"
	TMPDIR=$SCRATCH "$OCIVET" verify --at "$AT" --trust "$SCRATCH/b.$ext" \
	    layouts/ts-expired-cert:v1
	# the private copy is gone
	ls "$SCRATCH" | grep ocivet-trust || echo "no private copy left"
done
"$OCIVET" trust show --at "$AT" --format json "$SCRATCH/b.tar.zst" |
    sed "s|$SCRATCH|SCRATCH|g"
