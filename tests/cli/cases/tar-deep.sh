"$OCIVET" verify --at "$AT" --config config/strict --deep -v archives/layout.tar.zst
