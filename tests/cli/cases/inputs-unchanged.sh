# Verification never modifies its inputs: every file of every layout,
# archive, docker save and configuration hashes the same before and
# after runs over all of them (and modes and types are unchanged).
snap() { find layouts archives docker config crl ../bundles -type f -o -type l |
	LC_ALL=C sort | xargs sha256sum
	find layouts archives docker config crl -printf '%p %m %y\n' | LC_ALL=C sort; }
snap >"$SCRATCH/before"
for l in layouts/*/ archives/*.tar* docker/*.tar; do
	"$OCIVET" verify --at "$AT" --config config/strict --deep \
		--signatures docker/registry --crl crl/good --format json "$l" >/dev/null 2>&1
done
snap >"$SCRATCH/after"
cmp "$SCRATCH/before" "$SCRATCH/after" && echo "inputs unchanged"
