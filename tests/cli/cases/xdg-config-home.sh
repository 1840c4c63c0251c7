mkdir -p "$SCRATCH/xdg" && cp -r config/strict "$SCRATCH/xdg/notation" && XDG_CONFIG_HOME=$SCRATCH/xdg "$OCIVET" verify --at "$AT" layouts/jws:v1
