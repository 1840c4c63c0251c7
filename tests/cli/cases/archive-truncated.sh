"$OCIVET" verify --at "$AT" --config config/strict archives/bad-truncated.tar archives/bad-no-end.tar archives/bad-truncated.tar.gz
