"$OCIVET" verify --at "$AT" --config config/strict layouts/bad-base64:v1
