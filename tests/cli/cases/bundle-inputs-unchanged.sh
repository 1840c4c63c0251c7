# bundle export never modifies its sources: every file of every layout
# hashes the same, with the same mode, before and after exporting each.
snap() { find layouts docker -type f -o -type l | LC_ALL=C sort |
	xargs sha256sum; find layouts docker -printf '%p %m %y\n' | LC_ALL=C sort; }
snap >"$SCRATCH/before"
i=0
for l in layouts/*/ docker/*; do
	i=$((i + 1))
	"$OCIVET" bundle export -o "$SCRATCH/b$i" "$l" >/dev/null 2>&1
	case $l in docker/*)
		"$OCIVET" bundle export -o "$SCRATCH/b$i.tar" "$l" >/dev/null 2>&1
	esac
done
snap >"$SCRATCH/after"
cmp "$SCRATCH/before" "$SCRATCH/after" && echo "inputs unchanged"
