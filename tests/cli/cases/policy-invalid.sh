"$OCIVET" verify --at "$AT" --config config/invalid layouts/jws:v1
