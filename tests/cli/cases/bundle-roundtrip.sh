# The connected side exports the signatures of the registry images; the
# disconnected side verifies `docker save` archives (classic and OCI) and
# an unsigned copy of a layout with the bundle, a tar or a directory.
"$OCIVET" bundle export -o "$SCRATCH/sigs.tar" docker/registry || exit
"$OCIVET" bundle export -o "$SCRATCH/detached" layouts/detached-bundle:v1 || exit
for src in docker/save-classic.tar docker/save-oci.tar; do
	out=$("$OCIVET" verify --at "$AT" --config config/strict \
	    --signatures "$SCRATCH/sigs.tar" "$src")
	echo "exit $?: $(echo "$out" | cut -d' ' -f1-2)"
done
out=$("$OCIVET" verify --at "$AT" --config config/strict \
    --signatures "$SCRATCH/detached" layouts/detached:v1)
echo "exit $?: $(echo "$out" | cut -d' ' -f1-2)"
