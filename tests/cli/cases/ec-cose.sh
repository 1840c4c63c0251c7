"$OCIVET" verify --at "$AT" --config config/strict layouts/ec-cose:v1
