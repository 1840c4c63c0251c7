"$OCIVET" inspect layouts/ts-jws layouts/cose
