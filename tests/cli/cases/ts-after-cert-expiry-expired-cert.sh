"$OCIVET" verify --at "$AT" --config config/tsa-after layouts/ts-expired-cert:v1
