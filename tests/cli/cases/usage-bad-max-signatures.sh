"$OCIVET" verify --max-signatures 0 layouts/jws
