"$OCIVET" verify --at "$AT" --config config/strict layouts/cose:v1
