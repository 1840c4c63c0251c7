"$OCIVET" verify --at "$AT" --config config/strict layouts/untrusted:v1
