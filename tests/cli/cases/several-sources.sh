"$OCIVET" verify --at "$AT" --config config/strict layouts/jws:v1 layouts/unsigned:v1 layouts/ec:v1
