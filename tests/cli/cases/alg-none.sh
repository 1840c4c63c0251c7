"$OCIVET" verify --at "$AT" --config config/strict layouts/alg-none:v1
