"$OCIVET" verify --at "$AT" --config config/missing-store layouts/jws:v1
