"$OCIVET" inspect --help
