"$OCIVET" verify --at "$AT" --config config/permissive layouts/expired-sig:v1
