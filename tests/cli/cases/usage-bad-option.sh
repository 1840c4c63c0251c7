"$OCIVET" verify --bogus layouts/jws
