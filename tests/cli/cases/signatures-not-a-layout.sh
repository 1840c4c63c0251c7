"$OCIVET" verify --at "$AT" --config config/strict --signatures config docker/save-classic.tar
