# CRLs carried in the bundle are enforced: a revoked leaf fails, good CRLs
# pass; trust check and show judge their freshness
run() { "$@" >"$SCRATCH/o" 2>&1; echo "exit $?"; sed "s|$SCRATCH|SCRATCH|g; s|in /.*/bundles|in BUNDLES|" "$SCRATCH/o"; }
"$OCIVET" trust create --config config/microsoft-shape-no-tsa --name shape \
    --crl crl/good/root.crl --crl crl/good/inter.crl --at "$AT" -o "$SCRATCH/good" >/dev/null
"$OCIVET" trust create --config config/microsoft-shape-no-tsa --name shape \
    --crl crl/good/root.crl --crl crl/inter-revokes-leaf.crl --at "$AT" -o "$SCRATCH/revoked" >/dev/null
"$OCIVET" trust create --config config/microsoft-shape-no-tsa --name shape \
    --crl crl/good/root.crl --crl crl/inter-stale.crl --at "$AT" -o "$SCRATCH/stale" >/dev/null
run "$OCIVET" verify --at "$AT" --trust "$SCRATCH/good" layouts/crl:v1
run "$OCIVET" verify --at "$AT" --trust "$SCRATCH/revoked" layouts/crl:v1
"$OCIVET" trust show --at "$AT" "$SCRATCH/revoked" | sed -n '/CRLs/,$p'
run "$OCIVET" trust check --at "$AT" "$SCRATCH/stale"
