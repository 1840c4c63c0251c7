"$OCIVET" verify --at "$AT" --config config/microsoft-shape layouts/expired-cert:v1
