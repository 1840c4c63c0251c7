"$OCIVET" verify --at "$AT" --config config/strict --deep layouts/not-gzip
