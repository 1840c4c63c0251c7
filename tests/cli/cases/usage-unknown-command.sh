"$OCIVET" frobnicate
