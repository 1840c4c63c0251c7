# Messages that say where and what to do (issue 10):
# a directory of layouts, a SOURCE with a trailing slash, a missing blob
# named with its layout path, and option names on file errors.
mkdir "$SCRATCH/d"
cp -R layouts/jws layouts/cose "$SCRATCH/d/"
(cd "$SCRATCH" && "$OCIVET" verify --config "$OV_TESTDATA/config/strict" --at "$AT" d)
echo "exit $?"
"$OCIVET" verify --config config/strict --at "$AT" layouts/jws/ layouts/cose//
echo "exit $?"
"$OCIVET" verify --config config/strict --at "$AT" layouts/missing-layer
echo "exit $?"
"$OCIVET" verify --config config/strict --at "$AT" --ocsp-response no/such.der layouts/jws
echo "exit $?"
"$OCIVET" verify --config config/strict --at "$AT" --crl-cache no/such layouts/jws
echo "exit $?"
