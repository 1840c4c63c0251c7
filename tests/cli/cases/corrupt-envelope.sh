"$OCIVET" verify --at "$AT" --config config/strict layouts/corrupt-envelope:v1
