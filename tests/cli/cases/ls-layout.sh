"$OCIVET" ls layouts/jws layouts/index layouts/unsigned/
