"$OCIVET" verify --max-archive-size lots layouts/jws
