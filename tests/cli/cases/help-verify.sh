"$OCIVET" verify --help
