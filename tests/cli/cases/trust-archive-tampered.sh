# an archive whose member differs from its manifest: refused, nothing left
run() { "$@" >"$SCRATCH/o" 2>&1; echo "exit $?"; sed "s|$SCRATCH|SCRATCH|g; s|in /.*/bundles|in BUNDLES|" "$SCRATCH/o"; }
"$OCIVET" trust create --config config/microsoft-shape --name shape \
    --at "$AT" -o "$SCRATCH/b" >/dev/null
printf 'x' >>"$SCRATCH/b/trustpolicy.oci.json"
(cd "$SCRATCH/b" && tar --format=pax -cf ../b.tar ocivet-trust.json trustpolicy.oci.json truststore)
run env TMPDIR="$SCRATCH" "$OCIVET" verify --at "$AT" --trust "$SCRATCH/b.tar" layouts/ts-expired-cert:v1 |
    sed "s|([0-9]* bytes, sha256 [0-9a-f]*; listed|(BYTES; listed|"
ls "$SCRATCH" | grep ocivet-trust || echo "no private copy left"
