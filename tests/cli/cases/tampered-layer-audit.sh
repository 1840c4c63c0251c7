"$OCIVET" verify --at "$AT" --config config/audit layouts/tampered-layer:v1
