# A source blob that does not match its digest fails the export, naming
# it, and leaves no output behind.
T=$PWD
cd "$SCRATCH" || exit
cp -R "$T/layouts/jws" src && chmod -R u+w src || exit
m=src/blobs/sha256/$(sed 's/^sha256://' "$T/layouts/jws.digest")
printf X | dd of="$m" bs=1 seek=40 conv=notrunc 2>/dev/null
"$OCIVET" bundle export -o out src:v1
rc=$?
ls -A
exit $rc
