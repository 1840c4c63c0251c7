"$OCIVET" verify --at "$AT" --config config/strict layouts/sa:v1 layouts/sa-cose:v1
