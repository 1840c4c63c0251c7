"$OCIVET" export --help
