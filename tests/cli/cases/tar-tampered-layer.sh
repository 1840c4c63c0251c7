"$OCIVET" verify --at "$AT" --config config/strict archives/layout-tampered.tar.gz
