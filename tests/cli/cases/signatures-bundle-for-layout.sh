"$OCIVET" verify --at "$AT" --config config/strict --signatures layouts/jws layouts/unsigned:v1
