"$OCIVET" verify --at "$AT" --config config/microsoft-shape -v layouts/ts-expired-cert:v1
