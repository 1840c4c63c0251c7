"$OCIVET" --version
