"$OCIVET" verify --at "$AT" --config config/strict --crl crl/good/root.crl --crl crl/wrong-ca.crl layouts/crl:v1
