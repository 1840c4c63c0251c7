"$OCIVET" verify --at "$AT" --config config/microsoft-shape-no-tsa --crl crl/good/root.crl --crl crl/inter-revokes-leaf.crl layouts/crl:v1
