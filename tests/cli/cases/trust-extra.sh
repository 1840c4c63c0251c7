# a file the manifest does not list (here a CRL slipped in): refused
run() { "$@" >"$SCRATCH/o" 2>&1; echo "exit $?"; sed "s|$SCRATCH|SCRATCH|g; s|in /.*/bundles|in BUNDLES|" "$SCRATCH/o"; }
"$OCIVET" trust create --config config/microsoft-shape --name shape \
    --at "$AT" -o "$SCRATCH/b" >/dev/null
mkdir "$SCRATCH/b/crl"
cp crl/good/root.crl "$SCRATCH/b/crl/"
run "$OCIVET" trust check "$SCRATCH/b"
run "$OCIVET" cert ls --trust "$SCRATCH/b"
