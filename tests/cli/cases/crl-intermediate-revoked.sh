"$OCIVET" verify --at "$AT" --config config/strict --crl crl/root-revokes-inter.crl --crl crl/good/inter.crl layouts/crl:v1
