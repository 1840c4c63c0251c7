"$OCIVET" verify --at "$AT" --config config/permissive layouts/crl:v1
