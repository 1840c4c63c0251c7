"$OCIVET" policy --help && "$OCIVET" policy nosuch
