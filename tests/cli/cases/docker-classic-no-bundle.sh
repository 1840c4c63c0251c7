"$OCIVET" verify --at "$AT" --config config/strict docker/save-classic.tar
