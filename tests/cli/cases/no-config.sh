# No --config, no NOTATION_CONFIG, nothing in ~/.config/notation.
"$OCIVET" verify --at "$AT" layouts/jws:v1 2>"$SCRATCH/err"
st=$?
sed "s|$HOME|HOME|g" "$SCRATCH/err" >&2
exit $st
