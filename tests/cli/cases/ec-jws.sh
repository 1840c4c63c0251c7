"$OCIVET" verify --at "$AT" --config config/strict layouts/ec:v1
