"$OCIVET" bundle export --help && "$OCIVET" help bundle >/dev/null
