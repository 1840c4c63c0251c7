"$OCIVET" verify --at "$AT" --config config/tsa layouts/expired-cert:v1
