"$OCIVET" cert --help && "$OCIVET" cert ls --type nosuch
