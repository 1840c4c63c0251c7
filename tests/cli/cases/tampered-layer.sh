"$OCIVET" verify --at "$AT" --config config/strict layouts/tampered-layer:v1
