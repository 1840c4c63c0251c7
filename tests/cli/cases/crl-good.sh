"$OCIVET" verify --at "$AT" --config config/strict --crl crl/good -v layouts/crl:v1
