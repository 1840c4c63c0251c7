"$OCIVET" verify --at "$AT" --config config/strict --format json layouts/multi
