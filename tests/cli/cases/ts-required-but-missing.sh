"$OCIVET" verify --at "$AT" --config config/tsa layouts/jws:v1
