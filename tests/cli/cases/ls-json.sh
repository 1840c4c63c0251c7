"$OCIVET" ls --format json layouts/index archives/layout.tar.gz docker/save-classic.tar
