"$OCIVET" verify --at yesterday layouts/jws
