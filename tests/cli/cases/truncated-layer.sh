"$OCIVET" verify --at "$AT" --config config/strict layouts/truncated-layer:v1
