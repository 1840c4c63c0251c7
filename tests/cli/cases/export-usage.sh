# export's usage errors, before any source is read: no -o, an output
# that is not an archive name, an existing output, an unknown --format;
# nothing is written
T=$PWD
cd "$SCRATCH" || exit
mkdir w && cd w || exit
"$OCIVET" export --at "$AT" --config "$T/config/strict" "$T/layouts/jws:v1"
echo "exit $?"
"$OCIVET" export --at "$AT" --config "$T/config/strict" -o out "$T/layouts/jws:v1"
echo "exit $?"
: >exists.tar
"$OCIVET" export --at "$AT" --config "$T/config/strict" -o exists.tar "$T/layouts/jws:v1"
echo "exit $?"
"$OCIVET" export --format json -o x.tar "$T/layouts/jws:v1"
echo "exit $?"
ls -A
