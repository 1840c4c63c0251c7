"$OCIVET" verify --format xml layouts/jws
