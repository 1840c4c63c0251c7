"$OCIVET" verify --at "$AT" --config config/microsoft-shape-no-tsa -v layouts/crl:v1
