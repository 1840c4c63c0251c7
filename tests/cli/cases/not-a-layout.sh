"$OCIVET" verify --at "$AT" --config config/strict config
