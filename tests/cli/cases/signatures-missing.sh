"$OCIVET" verify --at "$AT" --config config/strict --signatures nope docker/save-classic.tar
