"$OCIVET" verify --at "$AT" --config config/microsoft-shape-no-tsa --crl crl/root-revokes-inter.crl --crl crl/good/inter.crl layouts/crl:v1
