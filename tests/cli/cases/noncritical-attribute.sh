"$OCIVET" verify --at "$AT" --config config/strict layouts/noncrit-attr:v1
