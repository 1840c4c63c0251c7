"$OCIVET" verify --at "$AT" --config config/strict layouts/reftag:v1
