"$OCIVET" verify --at "$AT" --config config/strict --crl crl/nope.crl layouts/crl:v1
