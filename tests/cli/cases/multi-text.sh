"$OCIVET" verify --at "$AT" --config config/strict layouts/multi
