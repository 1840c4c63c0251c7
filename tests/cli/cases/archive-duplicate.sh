"$OCIVET" verify --at "$AT" --config config/strict archives/bad-duplicate.tar archives/bad-duplicate-dot.tar
