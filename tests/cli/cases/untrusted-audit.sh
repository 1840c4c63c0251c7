"$OCIVET" verify --at "$AT" --config config/audit layouts/untrusted:v1
