"$OCIVET" crl show layouts/jws/index.json
