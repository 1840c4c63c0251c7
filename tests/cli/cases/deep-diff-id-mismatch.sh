"$OCIVET" verify --at "$AT" --config config/strict --deep layouts/diffid-mismatch
