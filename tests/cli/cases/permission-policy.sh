# An unreadable trust policy.
cp -r layouts/jws "$SCRATCH/l" && cp -r config/strict "$SCRATCH/c"
chmod -R a+rX "$SCRATCH"
chmod 000 "$SCRATCH/c/trustpolicy.oci.json"
$ASUSER "$OCIVET" verify --at "$AT" --config "$SCRATCH/c" "$SCRATCH/l:v1" \
	>"$SCRATCH/out" 2>"$SCRATCH/err"
st=$?
sed "s|$SCRATCH|SCRATCH|g" "$SCRATCH/out"
sed "s|$SCRATCH|SCRATCH|g" "$SCRATCH/err" >&2
exit $st
