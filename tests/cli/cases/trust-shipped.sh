# the shipped bundles, by name, pass trust check; the quick start verifies
# from the demo bundle found by name
export OCIVET_BUNDLES=$OV_TESTDATA/../bundles
"$OCIVET" trust check --at "$AT" microsoft | sed 's|^trust bundle: .*/bundles/|trust bundle: BUNDLES/|'
"$OCIVET" trust check --at "$AT" demo | sed 's|^trust bundle: .*/bundles/|trust bundle: BUNDLES/|; s|^warning: .*/bundles/|warning: BUNDLES/|'
"$OCIVET" verify --at "$AT" --trust demo demo/hello:v1
"$OCIVET" verify --at "$AT" --config ../bundles/demo demo/hello:v1
