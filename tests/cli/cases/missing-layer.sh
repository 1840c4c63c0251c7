"$OCIVET" verify --at "$AT" --config config/strict layouts/missing-layer:v1
