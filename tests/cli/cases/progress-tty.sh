# On a terminal, reading an archive shows a progress line on stderr
# ("NAME: X of Y MiB (R MiB/s)"), cleared when done; --quiet and a
# non-terminal stderr show none. script(1) gives ocivet a terminal.
esc=$(printf '\033')
run_tty() {
	script -qec "$*" /dev/null </dev/null | tr '\r' '\n' |
		sed "s/$esc\\[K//g"
}
echo "terminal:"
run_tty "'$OCIVET' verify --at $AT --config config/strict archives/layout.tar.gz" |
	sed -n -e 's/^\(archives\/layout.tar.gz: [0-9]* of [0-9]* MiB\) (.*/\1 (rate)/p' \
	    -e 's/^\(VERIFIED [^ ]*\).*/\1/p' | sort -u
echo "terminal, --quiet:"
run_tty "'$OCIVET' verify -q --at $AT --config config/strict archives/layout.tar.gz" |
	grep -c 'MiB/s'
echo "not a terminal:"
"$OCIVET" verify --at "$AT" --config config/strict archives/layout.tar.gz 2>&1 >/dev/null | wc -c
