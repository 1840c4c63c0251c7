# bundle export to a directory: the signed manifest, its signature
# manifest, envelope and {} config, each a byte-for-byte copy, and no
# config or layer of the image.
T=$PWD
"$OCIVET" bundle export -o "$SCRATCH/b" layouts/jws:v1 || exit
cd "$SCRATCH/b" || exit
cat oci-layout; echo
ls
ls blobs/sha256 | wc -l
for f in blobs/sha256/*; do cmp "$f" "$T/layouts/jws/$f" || exit; done
grep -c '"artifactType":"application/vnd.cncf.notary.signature"' index.json
grep -o '"org.opencontainers.image.ref.name":"[^"]*"' index.json
