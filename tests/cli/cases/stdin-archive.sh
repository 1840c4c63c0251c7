# SOURCE "-": an archive streamed on standard input (a pipe: nothing
# seeks), read once like any archive, with the same safety rules.
cat archives/layout.tar.zst | "$OCIVET" verify --at "$AT" --config config/strict -
echo "exit $?"
# docker save piped in, its signatures in a bundle (docker save app | ...)
cat docker/save-classic.tar | "$OCIVET" verify --at "$AT" --config config/strict --signatures docker/registry -
echo "exit $?"
# a tampered archive fails as it does from a file
cat archives/layout-tampered.tar.gz | "$OCIVET" verify --at "$AT" --config config/strict -
echo "exit $?"
# a pipe holding something else than an archive
cat archives/bad.zip | "$OCIVET" verify --at "$AT" --config config/strict - 2>&1
echo "exit $?"
# a directory is no archive
"$OCIVET" verify --at "$AT" --config config/strict - <archives 2>&1
echo "exit $?"
# standard input can be read once
"$OCIVET" verify --at "$AT" --config config/strict --signatures - - <archives/layout.tar 2>&1
echo "exit $?"
