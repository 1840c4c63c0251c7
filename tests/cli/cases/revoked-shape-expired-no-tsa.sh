"$OCIVET" verify --at "$AT" --config config/microsoft-shape-no-tsa layouts/ts-expired-cert:v1
