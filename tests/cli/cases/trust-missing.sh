# a listed file that is missing (a tsa store removed): refused
run() { "$@" >"$SCRATCH/o" 2>&1; echo "exit $?"; sed "s|$SCRATCH|SCRATCH|g; s|in /.*/bundles|in BUNDLES|" "$SCRATCH/o"; }
"$OCIVET" trust create --config config/microsoft-shape --name shape \
    --at "$AT" -o "$SCRATCH/b" >/dev/null
rm -r "$SCRATCH/b/truststore/x509/tsa"
run "$OCIVET" trust check "$SCRATCH/b"
run "$OCIVET" policy check --trust "$SCRATCH/b"
