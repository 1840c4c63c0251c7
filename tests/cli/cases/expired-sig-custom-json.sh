"$OCIVET" verify --at "$AT" --config config/custom --format json layouts/expired-sig:v1
