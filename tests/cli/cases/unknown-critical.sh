"$OCIVET" verify --at "$AT" --config config/strict layouts/unknown-crit:v1
