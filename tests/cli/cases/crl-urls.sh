"$OCIVET" crl urls layouts/crl:v1 layouts/ts-jws:v1
