"$OCIVET" verify --at "$AT" --config config/strict archives/jws.tar
