printf "not an envelope" >"$SCRATCH/bad.sig"
"$OCIVET" inspect --format json --envelope "$SCRATCH/bad.sig" | sed "s|$SCRATCH|SCRATCH|"
"$OCIVET" inspect --envelope no-such.sig
