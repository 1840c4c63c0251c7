"$OCIVET" verify --at "$AT" --config config/audit layouts/plugin:v1
