# gzip as every importer reads it (gzip.c): members in sequence are one
# stream, zero bytes after the last member are padding (GNU gzip), each
# with --jobs 1 and 2; a damaged trailer or anything else after the last
# member fails (more in the adversarial corpus, gzip-*).
gzip -dc archives/layout.tar.gz >"$SCRATCH/l.tar"
{ head -c 1000 "$SCRATCH/l.tar" | gzip -n; tail -c +1001 "$SCRATCH/l.tar" |
    gzip -n -1; } >"$SCRATCH/members.tar.gz"
{ cat archives/layout.tar.gz; head -c 4096 /dev/zero; } >"$SCRATCH/padded.tar.gz"
{ cat archives/layout.tar.gz; printf 'x'; } >"$SCRATCH/garbage.tar.gz"
for j in 1 2; do
	echo "== --jobs $j"
	{
		"$OCIVET" verify --at "$AT" --config config/strict --jobs $j \
		    "$SCRATCH/members.tar.gz" "$SCRATCH/padded.tar.gz" \
		    "$SCRATCH/garbage.tar.gz"
		echo "exit $?"
	} | sed "s|$SCRATCH|SCRATCH|g"
done
