package apiv2

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// ErrXML is wrapped by every error of Encode and Decode.
var ErrXML = errors.New("apiv2: bad XML")

// Encode returns <xml><k>v</k>…</xml> for fields, keys sorted byte-wise.
// A value holding <, >, & or " is wrapped in CDATA (a "]]>" inside is split
// across two sections); one holding a carriage return is escaped with
// character references instead, the only form that keeps it. A key that is not a plain XML name ([A-Za-z_]
// then [A-Za-z0-9_.-]) and a value that XML cannot carry (invalid UTF-8, a
// control character other than tab, newline or carriage return) are errors
// wrapping ErrXML.
func Encode(fields map[string]string) ([]byte, error) {
	keys := make([]string, 0, len(fields))
	size := len("<xml></xml>")
	for k, v := range fields {
		if !isName(k) {
			return nil, fmt.Errorf("%w: field name %q is not a plain XML name", ErrXML, k)
		}
		if !isText(v) {
			return nil, fmt.Errorf("%w: field %q holds invalid UTF-8 or a control character", ErrXML, k)
		}
		keys = append(keys, k)
		size += 2*len(k) + 5 + len(v) + len("<![CDATA[]]>")
	}
	slices.Sort(keys)
	buf := make([]byte, 0, size)
	buf = append(buf, "<xml>"...)
	for _, k := range keys {
		buf = appendField(buf, k, fields[k])
	}
	return append(buf, "</xml>"...), nil
}

// appendField appends <k>v</k>, with v in CDATA when it needs escaping.
func appendField(buf []byte, k, v string) []byte {
	buf = append(buf, '<')
	buf = append(buf, k...)
	buf = append(buf, '>')
	switch {
	case strings.ContainsRune(v, '\r'):
		// A parser turns a literal CR into LF; only a character reference
		// keeps it, and CDATA cannot hold one.
		var b bytes.Buffer
		xml.EscapeText(&b, []byte(v))
		buf = append(buf, b.Bytes()...)
	case strings.ContainsAny(v, `<>&"`):
		buf = append(buf, "<![CDATA["...)
		buf = append(buf, strings.ReplaceAll(v, "]]>", "]]]]><![CDATA[>")...)
		buf = append(buf, "]]>"...)
	default:
		buf = append(buf, v...)
	}
	buf = append(buf, "</"...)
	buf = append(buf, k...)
	return append(buf, '>')
}

// isName reports whether s is a plain XML element name.
func isName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '_':
		case i > 0 && (c >= '0' && c <= '9' || c == '.' || c == '-'):
		default:
			return false
		}
	}
	return true
}

// isText reports whether s is valid UTF-8 made of XML characters.
func isText(s string) bool {
	for _, r := range s {
		switch {
		case r == utf8.RuneError:
			return false // invalid UTF-8 (a literal U+FFFD is refused too: it is never needed here)
		case r < 0x20 && r != '\t' && r != '\n' && r != '\r':
			return false
		case r == 0xFFFE || r == 0xFFFF:
			return false
		}
	}
	return true
}
