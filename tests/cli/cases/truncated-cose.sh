"$OCIVET" verify --at "$AT" --config config/strict layouts/truncated-cose:v1
