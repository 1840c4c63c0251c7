"$OCIVET" verify --at "$AT" --config config/strict --crl-cache crl/cache layouts/crl:v1
