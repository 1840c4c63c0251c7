"$OCIVET" verify --at "$AT" --config config/strict layouts/crl:v1
