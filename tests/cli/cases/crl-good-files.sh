"$OCIVET" verify --at "$AT" --config config/strict --crl crl/good/root.crl --crl crl/good/inter.crl layouts/crl:v1
