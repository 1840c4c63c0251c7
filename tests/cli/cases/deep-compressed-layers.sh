"$OCIVET" verify --at "$AT" --config config/strict --deep layouts/compressed layouts/index:v1
