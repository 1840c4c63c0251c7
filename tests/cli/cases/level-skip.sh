"$OCIVET" verify --at "$AT" --config config/skip layouts/unsigned:v1
