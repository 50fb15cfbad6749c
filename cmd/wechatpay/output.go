package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
)

// writeAnswer writes an answer to w: with include, the status line and the
// headers (sorted) and a blank line first; then the body, indented when it
// is JSON and as is otherwise, ending in a newline.
func writeAnswer(w io.Writer, status int, header http.Header, body []byte, include bool) {
	if include {
		fmt.Fprintf(w, "HTTP %s\n", statusText(status))
		for _, k := range slices.Sorted(maps.Keys(header)) {
			for _, v := range header[k] {
				fmt.Fprintf(w, "%s: %s\n", k, v)
			}
		}
		fmt.Fprintln(w)
	}
	if len(body) == 0 {
		return
	}
	var pretty bytes.Buffer
	if json.Valid(body) && json.Indent(&pretty, body, "", "  ") == nil {
		body = pretty.Bytes()
	}
	w.Write(body)
	if body[len(body)-1] != '\n' {
		fmt.Fprintln(w)
	}
}
