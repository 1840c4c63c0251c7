"$OCIVET" verify --at "$AT" --config config/scoped layouts/jws:v1
