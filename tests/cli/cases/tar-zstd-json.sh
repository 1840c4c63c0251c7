"$OCIVET" verify --at "$AT" --config config/strict --format json archives/jws.tar.zst
