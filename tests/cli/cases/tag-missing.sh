"$OCIVET" verify --at "$AT" --config config/strict layouts/jws:v9
