# names, paths and --config
run() { "$@" >"$SCRATCH/o" 2>&1; echo "exit $?"; sed "s|$SCRATCH|SCRATCH|g; s|in /.*/bundles|in BUNDLES|" "$SCRATCH/o"; }
run env OCIVET_BUNDLES=$OV_TESTDATA/../bundles "$OCIVET" verify --trust nosuch demo/hello:v1
run "$OCIVET" verify --trust 'Not A Name' demo/hello:v1
run "$OCIVET" verify --trust demo --config config/strict demo/hello:v1
run "$OCIVET" trust check config/strict
run "$OCIVET" trust frobnicate
run "$OCIVET" trust create --name x -o "$SCRATCH/x"
