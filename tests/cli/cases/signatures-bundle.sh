"$OCIVET" verify --at "$AT" --config config/strict --signatures layouts/detached-bundle layouts/detached:v1
