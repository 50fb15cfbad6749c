package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// stdin is where "@-" reads from; tests replace it.
var stdin io.Reader = os.Stdin

// readArg returns the bytes an argument names: "@-" reads stdin, "@file"
// the file, anything else is the argument itself. source names it for
// messages.
func readArg(arg string) (data []byte, source string, err error) {
	file, ok := strings.CutPrefix(arg, "@")
	switch {
	case !ok:
		return []byte(arg), "inline JSON", nil
	case file == "":
		return nil, "", errors.New("@: want @file, or @- for stdin")
	case file == "-":
		data, err = io.ReadAll(stdin)
		return data, "stdin", err
	}
	data, err = os.ReadFile(file)
	return data, file, err
}

// readJSON reads a JSON argument (inline JSON, @file or @- for stdin),
// checks that it is one JSON value and returns it without insignificant
// whitespace.
//
// It is sent as the "json" option holding a json.RawMessage rather than a
// decoded value: decoding into any would turn every number into a float64
// (an int64 id or amount above 2^53 would change) and re-order the keys,
// so the bytes signed and sent would not be the ones the user wrote. As a
// "json" option (not "body") it still gets Content-Type: application/json.
func readJSON(arg string) (json.RawMessage, error) {
	data, source, err := readArg(arg)
	if err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fmt.Errorf("%s: empty", source)
	}
	// json.Compact reports every syntax error at offset 0; Unmarshal
	// knows where it stopped.
	if err := json.Unmarshal(data, new(json.RawMessage)); err != nil {
		return nil, jsonError(source, data, err)
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, data); err != nil {
		return nil, fmt.Errorf("%s: invalid JSON: %w", source, err)
	}
	return json.RawMessage(buf.Bytes()), nil
}

// jsonError says where the JSON in data went wrong: line, column and the
// text around it, with a hint when the shell probably ate the quotes.
func jsonError(source string, data []byte, err error) error {
	se, ok := errors.AsType[*json.SyntaxError](err)
	if !ok {
		return fmt.Errorf("%s: invalid JSON: %w", source, err)
	}
	at := int(se.Offset)
	if at > 0 && at <= len(data) && se.Error() != "unexpected end of JSON input" {
		at-- // Offset counts the offending byte as read
	}
	line, col := 1, 1
	for _, c := range data[:min(at, len(data))] {
		if c == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	near := string(data[max(0, at-15):min(len(data), at+15)])
	msg := fmt.Sprintf("%s: invalid JSON at line %d, column %d (byte %d), near %q: %v", source, line, col, at, near, se)
	if trimmed := bytes.TrimSpace(data); len(trimmed) > 0 && (trimmed[0] == '{' && bytes.Contains(data, []byte(":")) && !bytes.Contains(data, []byte(`"`))) {
		msg += "; the shell removed the double quotes: wrap the JSON in single quotes, or use @file"
	}
	return errors.New(msg)
}

// readBody reads the --body argument (text, @file or @-), sent verbatim.
func readBody(arg string) ([]byte, error) {
	data, _, err := readArg(arg)
	return data, err
}
