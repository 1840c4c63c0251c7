"$OCIVET" crl urls -v layouts/crl
