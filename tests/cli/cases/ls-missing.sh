"$OCIVET" ls layouts/jws no/such/dir
