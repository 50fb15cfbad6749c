package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
)

// readJSON reads the --json argument (inline JSON, or @file), checks that it
// is one JSON value and returns it without insignificant whitespace.
//
// It is sent as the "json" option holding a json.RawMessage rather than a
// decoded value: decoding into any would turn every number into a float64
// (an int64 id or amount above 2^53 would change) and re-order the keys,
// so the bytes signed and sent would not be the ones the user wrote. As a
// "json" option (not "body") it still gets Content-Type: application/json.
func readJSON(arg string) (json.RawMessage, error) {
	data := []byte(arg)
	source := "inline JSON"
	if file, ok := strings.CutPrefix(arg, "@"); ok {
		if file == "" {
			return nil, errors.New("@: want @file")
		}
		var err error
		if data, err = os.ReadFile(file); err != nil {
			return nil, err
		}
		source = file
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, data); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return nil, fmt.Errorf("%s: invalid JSON at byte %d: %w", source, se.Offset, err)
		}
		return nil, fmt.Errorf("%s: invalid JSON: %w", source, err)
	}
	if buf.Len() == 0 {
		return nil, fmt.Errorf("%s: empty", source)
	}
	return json.RawMessage(buf.Bytes()), nil
}
