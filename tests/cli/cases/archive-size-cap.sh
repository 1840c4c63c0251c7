"$OCIVET" verify --at "$AT" --config config/strict --max-archive-size 1K archives/jws.tar
