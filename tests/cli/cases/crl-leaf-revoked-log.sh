"$OCIVET" verify --at "$AT" --config config/revocation-log --crl crl/good/root.crl --crl crl/inter-revokes-leaf.crl layouts/crl:v1
