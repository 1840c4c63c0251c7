"$OCIVET" verify --at "$AT" --config config/strict archives/bomb.tar.gz archives/bomb.tar.zst
