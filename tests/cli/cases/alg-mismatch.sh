"$OCIVET" verify --at "$AT" --config config/strict layouts/alg-mismatch:v1
