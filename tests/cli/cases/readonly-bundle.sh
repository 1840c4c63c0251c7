# Read-only, proven for bundle export (bundle-inputs-unchanged covers the
# layout directories and docker/): archives, the adversarial corpus, the
# demo, and bundles themselves as sources are unchanged (content, type,
# mode, link count, size, modification time) by exports to SCRATCH, and
# so are bundles read by verify --signatures.
roots="archives adversarial demo docker"
snap() {
	find $roots "$SCRATCH/b" "$SCRATCH/b.tar" -type f -exec sha256sum {} + |
		LC_ALL=C sort -k2
	find $roots "$SCRATCH/b" "$SCRATCH/b.tar" -printf '%p %y %m %n %s %T@\n' |
		LC_ALL=C sort
}
"$OCIVET" bundle export -o "$SCRATCH/b" docker/registry layouts/jws >/dev/null 2>&1
"$OCIVET" bundle export -o "$SCRATCH/b.tar" docker/registry layouts/jws >/dev/null 2>&1
snap >"$SCRATCH/before"
i=0
# bundle export stops at the first source it refuses: one source a run
for s in archives/* adversarial/archives/* adversarial/docker/* demo/hello \
    "$SCRATCH/b" "$SCRATCH/b.tar" adversarial/layouts/index-nested \
    adversarial/layouts/index-utf8-lone adversarial/layouts/tag-nul-raw \
    adversarial/layouts/index-digest-traversal \
    adversarial/layouts/manifest-digest-traversal \
    adversarial/layouts/sigenvelope-digest-traversal \
    adversarial/layouts/jws-x5c-trailing adversarial/layouts/subject-swap; do
	i=$((i + 1))
	"$OCIVET" bundle export -o "$SCRATCH/out$i" "$s" >/dev/null 2>&1
done
"$OCIVET" verify --at "$AT" --config config/strict --signatures "$SCRATCH/b" \
	--signatures "$SCRATCH/b.tar" docker/save-classic.tar docker/save-oci.tar \
	>/dev/null 2>&1
snap >"$SCRATCH/after"
if cmp -s "$SCRATCH/before" "$SCRATCH/after"; then
	echo "inputs unchanged"
else
	diff "$SCRATCH/before" "$SCRATCH/after" | head -20
fi
