"$OCIVET" verify --at "$AT" --config config/permissive layouts/expired-cert:v1
