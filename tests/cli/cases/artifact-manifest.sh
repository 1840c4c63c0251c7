"$OCIVET" verify --at "$AT" --config config/strict layouts/artifact:v1
