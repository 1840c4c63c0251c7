"$OCIVET" verify --at "$AT" --config config/revocation-skip -v layouts/crl:v1
