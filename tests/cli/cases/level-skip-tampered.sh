"$OCIVET" verify --at "$AT" --config config/skip layouts/tampered-layer:v1
