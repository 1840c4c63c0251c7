"$OCIVET" crl
