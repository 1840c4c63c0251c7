"$OCIVET" policy check --config certexpiry/config --at "$AT" --warn-days 60 --format json
