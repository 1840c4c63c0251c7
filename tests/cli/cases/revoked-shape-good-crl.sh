"$OCIVET" verify --at "$AT" --config config/microsoft-shape-no-tsa --crl crl/good layouts/crl:v1
