# a file whose bytes differ from the manifest: refused, naming the file
run() { "$@" >"$SCRATCH/o" 2>&1; echo "exit $?"; sed "s|$SCRATCH|SCRATCH|g; s|in /.*/bundles|in BUNDLES|" "$SCRATCH/o"; }
"$OCIVET" trust create --config config/microsoft-shape --name shape \
    --at "$AT" -o "$SCRATCH/b" >/dev/null
printf '\n' >>"$SCRATCH/b/truststore/x509/ca/test/root.crt"
run "$OCIVET" verify --at "$AT" --trust "$SCRATCH/b" layouts/ts-expired-cert:v1 2>&1 |
    sed "s|$SCRATCH|SCRATCH|g"
run "$OCIVET" trust check "$SCRATCH/b"
