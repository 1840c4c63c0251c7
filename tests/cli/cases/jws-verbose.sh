"$OCIVET" verify --at "$AT" --config config/strict -v layouts/jws:v1
