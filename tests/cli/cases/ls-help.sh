"$OCIVET" ls --help
