"$OCIVET" verify --at "$AT" --config config/strict archives/bad-device.tar
