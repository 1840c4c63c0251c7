"$OCIVET" verify --at "$AT" --config config/strict layouts/nope:v1
