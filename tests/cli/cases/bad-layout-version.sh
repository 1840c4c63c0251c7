"$OCIVET" verify --at "$AT" --config config/strict layouts/bad-version
