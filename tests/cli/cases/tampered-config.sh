"$OCIVET" verify --at "$AT" --config config/strict layouts/tampered-config:v1
