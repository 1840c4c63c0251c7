"$OCIVET" verify --at "$AT" --config config/strict -v layouts/index:v1
