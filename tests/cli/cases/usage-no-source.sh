"$OCIVET" verify --config config/strict
