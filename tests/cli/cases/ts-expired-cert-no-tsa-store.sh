"$OCIVET" verify --at "$AT" --config config/strict layouts/ts-expired-cert:v1
