"$OCIVET" verify --at "$AT" --config config/strict layouts/replayed:v1
