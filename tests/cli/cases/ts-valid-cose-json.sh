"$OCIVET" verify --at "$AT" --config config/tsa --format json layouts/ts-cose:v1
