"$OCIVET" verify --at "$AT" --config config/strict layouts/expired-cert:v1
