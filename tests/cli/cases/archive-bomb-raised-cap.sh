"$OCIVET" verify --at "$AT" --config config/strict --max-ratio 100000 archives/bomb.tar.gz
