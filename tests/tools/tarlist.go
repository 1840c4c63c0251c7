// SPDX-License-Identifier: Apache-2.0
//
// tarlist: lists a tar archive (plain, gzip or zstd-free) as Go's
// archive/tar reads it, the reader docker, containerd, skopeo and podman
// use: "SIZE NAME" for regular files, "-> TARGET NAME" for symbolic
// links (the target resolved from the link's directory), other entries left out, the same lines as `ovtar --list`.
// tests/tar-agreement.sh compares the two. Exit 2 when Go refuses the
// archive.
package main

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path"
	"strings"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: tarlist ARCHIVE (plain tar or gzip)")
		os.Exit(2)
	}
	f, err := os.Open(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	defer f.Close()
	br := bufio.NewReader(f)
	var r io.Reader = br
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		gz, err := gzip.NewReader(br)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		r = gz
	}
	tr := tar.NewReader(r)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "archive/tar:", err)
			out.Flush()
			os.Exit(2)
		}
		// the names as ocivet normalises them: no "./", no trailing "/"
		name := strings.TrimPrefix(path.Clean(h.Name), "./")
		switch h.Typeflag {
		case tar.TypeReg:
			fmt.Fprintf(out, "%d %s\n", h.Size, name)
		case tar.TypeSymlink:
			// resolved in the archive's names, as ocivet records it
			target := h.Linkname
			if !strings.HasPrefix(target, "/") {
				target = path.Join(path.Dir(name), target)
			}
			fmt.Fprintf(out, "-> %s %s\n", target, name)
		}
	}
}
