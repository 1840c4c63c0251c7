"$OCIVET" cert ls --config certexpiry/config --at "$AT" --format json
