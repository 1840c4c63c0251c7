# Nothing to export: exit 1, and nothing is written.
"$OCIVET" bundle export -o "$SCRATCH/b" layouts/unsigned
rc=$?
ls -A "$SCRATCH"
exit $rc
