"$OCIVET" verify --at "$AT" --config config/strict --crl layouts/jws/oci-layout layouts/crl:v1
