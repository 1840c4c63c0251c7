# An unreadable certificate in a trust store the policy uses.
cp -r layouts/jws "$SCRATCH/l" && cp -r config/strict "$SCRATCH/c"
chmod -R a+rX "$SCRATCH"
chmod 000 "$SCRATCH"/c/truststore/x509/ca/test/*
$ASUSER "$OCIVET" verify --at "$AT" --config "$SCRATCH/c" "$SCRATCH/l:v1" \
	>"$SCRATCH/out" 2>"$SCRATCH/err"
st=$?
sed "s|$SCRATCH|SCRATCH|g" "$SCRATCH/out"
sed "s|$SCRATCH|SCRATCH|g" "$SCRATCH/err" >&2
exit $st
