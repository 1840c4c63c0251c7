"$OCIVET" verify --at "$AT" --config config/legacy layouts/jws:v1
