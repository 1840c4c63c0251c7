"$OCIVET" verify --at "$AT" --config config/strict layouts/expired-sig:v1
