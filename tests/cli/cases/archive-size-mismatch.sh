"$OCIVET" verify --at "$AT" --config config/strict archives/bad-size-more.tar archives/bad-size-less.tar
