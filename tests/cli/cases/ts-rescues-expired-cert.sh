"$OCIVET" verify --at "$AT" --config config/tsa -v layouts/ts-expired-cert:v1
