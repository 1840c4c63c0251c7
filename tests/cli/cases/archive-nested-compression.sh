"$OCIVET" verify --at "$AT" --config config/strict archives/bad-nested.tar.gz.gz
