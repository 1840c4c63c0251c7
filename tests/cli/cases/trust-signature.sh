# the optional detached signature over the manifest, made with openssl
run() { "$@" >"$SCRATCH/o" 2>&1; echo "exit $?"; sed "s|$SCRATCH|SCRATCH|g; s|in /.*/bundles|in BUNDLES|" "$SCRATCH/o"; }
"$OCIVET" trust create --config config/microsoft-shape --name shape \
    --at "$AT" -o "$SCRATCH/b" >/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$SCRATCH/k.pem" 2>/dev/null
openssl pkey -in "$SCRATCH/k.pem" -pubout -out "$SCRATCH/pub.pem"
openssl genpkey -algorithm ED25519 -out "$SCRATCH/ed.pem" 2>/dev/null
openssl pkey -in "$SCRATCH/ed.pem" -pubout -out "$SCRATCH/edpub.pem"
run "$OCIVET" trust check --key "$SCRATCH/pub.pem" "$SCRATCH/b"
openssl dgst -sha256 -sign "$SCRATCH/k.pem" -out "$SCRATCH/b/ocivet-trust.json.sig" "$SCRATCH/b/ocivet-trust.json"
run "$OCIVET" trust check --at "$AT" "$SCRATCH/b"
run "$OCIVET" trust check --at "$AT" --key "$SCRATCH/pub.pem" "$SCRATCH/b"
run "$OCIVET" trust check --at "$AT" --key "$SCRATCH/edpub.pem" "$SCRATCH/b"
openssl pkeyutl -sign -rawin -inkey "$SCRATCH/ed.pem" -in "$SCRATCH/b/ocivet-trust.json" -out "$SCRATCH/b/ocivet-trust.json.sig"
run "$OCIVET" trust check --at "$AT" --key "$SCRATCH/edpub.pem" "$SCRATCH/b"
