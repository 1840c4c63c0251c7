# bundle export to a tar (chosen by the .tar suffix, or by --format):
# pax, entries sorted, mtime 0, owner 0, the same bytes on every run.
"$OCIVET" bundle export -o "$SCRATCH/b.tar" layouts/jws:v1 layouts/multi:a || exit
"$OCIVET" bundle export --format tar -o "$SCRATCH/again" layouts/jws:v1 \
    layouts/multi:a >/dev/null || exit
cmp "$SCRATCH/b.tar" "$SCRATCH/again" && echo "same bytes"
tar -tf "$SCRATCH/b.tar" | sed 's|/[0-9a-f]\{64\}$|/HEX|' | uniq -c
TZ=UTC tar --numeric-owner -tvf "$SCRATCH/b.tar" |
    awk '{ print $1, $2, $4, $5 }' | sort | uniq -c
