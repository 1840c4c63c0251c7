# A bare DIR exports every signed image; unsigned ones are left out with
# a warning.
"$OCIVET" bundle export -o "$SCRATCH/b" layouts/multi
