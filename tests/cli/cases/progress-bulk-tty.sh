# Several inputs on a terminal: one progress line on stderr for the run,
# "I/N inputs, M images (F failed), X MiB hashed, R images/s", updated
# as each input finishes and cleared at the end; none with --quiet or
# when stderr is not a terminal. script(1) gives ocivet a terminal.
esc=$(printf '\033')
run_tty() {
	script -qec "$*" /dev/null </dev/null | tr '\r' '\n' |
		sed "s/$esc\\[K//g"
}
srcs="layouts/jws layouts/multi layouts/tampered-layer archives/layout.tar.gz"
echo "terminal:"
run_tty "'$OCIVET' verify --jobs 1 --at $AT --config config/strict $srcs" >"$SCRATCH/tty"
sed -n 's/^\([0-9]*\/[0-9]* inputs, [0-9]* images ([0-9]* failed)\), [0-9]* MiB hashed, [0-9.]* images\/s *$/\1/p' "$SCRATCH/tty"
grep -E '^(VERIFIED|FAILED|[0-9]+ verified)' "$SCRATCH/tty" | awk '{print $1, $2}'
echo "terminal, --quiet:"
run_tty "'$OCIVET' verify -q --at $AT --config config/strict $srcs" |
	grep -c 'inputs,'
echo "not a terminal:"
# shellcheck disable=SC2086
"$OCIVET" verify --at "$AT" --config config/strict $srcs 2>&1 >/dev/null | grep -c 'inputs,' || :
