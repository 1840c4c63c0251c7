# Verification never modifies its inputs: every file of every layout and
# configuration hashes the same before and after a run over all of them.
snap() { find layouts config ../bundles -type f -o -type l | LC_ALL=C sort |
	xargs sha256sum; find layouts config -printf '%p %m %y\n' | LC_ALL=C sort; }
snap >"$SCRATCH/before"
for l in layouts/*/; do
	"$OCIVET" verify --at "$AT" --config config/strict --format json "$l" >/dev/null 2>&1
done
snap >"$SCRATCH/after"
cmp "$SCRATCH/before" "$SCRATCH/after" && echo "inputs unchanged"
