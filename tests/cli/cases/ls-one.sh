"$OCIVET" ls layouts/index:v1 layouts/jws@sha256:8c04c37fccb33dfc04e84e694f31d8c098c003f2f9e00f8afddd342405588799
