"$OCIVET" verify --at "$AT" --config config/strict --deep archives/deep-bomb.tar
