# An image index goes with its child manifests and the signatures of each;
# one platform can be exported by digest.
"$OCIVET" bundle export -o "$SCRATCH/b" layouts/index:v1 || exit
grep -c '"artifactType":"application/vnd.cncf.notary.signature"' "$SCRATCH/b/index.json"
ls "$SCRATCH/b/blobs/sha256" | wc -l
"$OCIVET" bundle export -o "$SCRATCH/arm" "layouts/index@$(cat layouts/index.arm64)"
