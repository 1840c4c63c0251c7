"$OCIVET" verify --at "$AT" --config config/strict layouts/diffid-mismatch
