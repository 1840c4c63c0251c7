# create a trust bundle directory from a notation configuration, check it,
# show it, and verify with it: a timestamp keeps the expired leaf valid
"$OCIVET" trust create --config config/microsoft-shape --name shape \
    --bundle-version 2 --description "fixture of bundles/microsoft's shape" \
    --at "$AT" -o "$SCRATCH/b" | sed "s|$SCRATCH|SCRATCH|g"
"$OCIVET" trust check --at "$AT" "$SCRATCH/b" | sed "s|$SCRATCH|SCRATCH|g"
"$OCIVET" trust show --at "$AT" "$SCRATCH/b" | sed "s|$SCRATCH|SCRATCH|g"
"$OCIVET" verify --at "$AT" --trust "$SCRATCH/b" layouts/ts-expired-cert:v1
"$OCIVET" policy show --trust "$SCRATCH/b" | sed "s|/.*/\(trustpolicy\)|BUNDLE/\1|; s|: /.*/truststore|: BUNDLE/truststore|"
