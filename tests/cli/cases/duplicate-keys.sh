"$OCIVET" verify --at "$AT" --config config/strict layouts/dup-keys:v1
