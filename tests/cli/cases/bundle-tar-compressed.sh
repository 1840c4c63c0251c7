# bundle export to .tar.gz, .tgz and .tar.zst (chosen by the name, or by
# --format) writes a compressed tar, the same bytes on every run, that
# verify reads as --signatures; other archive names are refused instead
# of becoming a directory of that name, and a failed export leaves nothing.
"$OCIVET" bundle export -o "$SCRATCH/b.tar.gz" docker/registry:v1 || exit
"$OCIVET" bundle export -o "$SCRATCH/b.tgz" docker/registry:v1 >/dev/null || exit
"$OCIVET" bundle export --format tar.gz -o "$SCRATCH/again" docker/registry:v1 >/dev/null || exit
"$OCIVET" bundle export -o "$SCRATCH/b.tar.zst" docker/registry:v1 >/dev/null || exit
"$OCIVET" bundle export --format tar.zst -o "$SCRATCH/again.zst" docker/registry:v1 >/dev/null || exit
cmp "$SCRATCH/b.tar.gz" "$SCRATCH/again" && cmp "$SCRATCH/b.tar.gz" "$SCRATCH/b.tgz" &&
    cmp "$SCRATCH/b.tar.zst" "$SCRATCH/again.zst" && echo "same bytes"
[ -f "$SCRATCH/b.tar.gz" ] && gzip -dc "$SCRATCH/b.tar.gz" | tar -tf - | sed 's|/[0-9a-f]\{64\}$|/HEX|' | uniq -c
# the classic docker save holds no signature: only the bundle has it
for b in b.tar.gz b.tar.zst; do
	"$OCIVET" verify --at "$AT" --config config/strict --signatures "$SCRATCH/$b" \
	    docker/save-classic.tar | cut -c1-40
done
for n in b.tar.xz b.zip b.tar.bz2; do
	"$OCIVET" bundle export -o "$SCRATCH/$n" docker/registry:v1 2>"$SCRATCH/.err"
	echo "$n: exit $?"
	sed "s|$SCRATCH/||" "$SCRATCH/.err"
done
"$OCIVET" bundle export -o "$SCRATCH/u.tar.gz" layouts/unsigned 2>/dev/null
echo "unsigned: exit $?"
ls "$SCRATCH" | sort | tr '\n' ' '
echo
