"$OCIVET" verify --at "$AT" --config config/strict --crl crl/good/root.crl --crl crl/inter-revokes-leaf.crl layouts/crl:v1
