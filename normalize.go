package wechatpay

import (
	"fmt"
	"strings"
)

// chainPiece reads one argument of Chain: a path (it holds '/') is
// returned verbatim without its leading slashes, after checking that it
// has no empty segment; a segment name is normalised. An empty argument
// gives "".
func chainPiece(part string) (string, error) {
	if !strings.Contains(part, "/") {
		return normalizeSegment(part), nil
	}
	path := strings.TrimLeft(part, "/")
	if err := checkEmptySegments(path); err != nil {
		return "", err
	}
	return path, nil
}

// checkEmptySegments refuses a path with an empty segment ("v3//pay"),
// looking only at the slashes outside template expressions and before any
// literal query or fragment. A trailing '/' is not an empty segment.
func checkEmptySegments(path string) error {
	depth, n := 0, 1
	for i := 0; i < len(path); i++ {
		switch c := path[i]; {
		case c == '{':
			depth++
		case c == '}' && depth > 0:
			depth--
		case depth > 0:
		case c == '?' || c == '#':
			return nil
		case c == '/':
			if i+1 < len(path) && path[i+1] == '/' {
				return fmt.Errorf("%w: empty path segment in %q (segment %d)", ErrTemplate, path, n+1)
			}
			n++
		}
	}
	return nil
}

// templatePath returns the path part of a template: the text before the
// first literal '?' or '#' or the first query or fragment expression
// ("{?…}", "{&…}", "{#…}").
func templatePath(t string) string {
	depth := 0
	for i := 0; i < len(t); i++ {
		switch c := t[i]; {
		case c == '{':
			if depth == 0 && i+1 < len(t) && strings.IndexByte("?&#", t[i+1]) >= 0 {
				return t[:i]
			}
			depth++
		case c == '}' && depth > 0:
			depth--
		case depth == 0 && (c == '?' || c == '#'):
			return t[:i]
		}
	}
	return t
}

// normalizeSegment applies the chain's rules to one segment name (an
// argument without '/'):
//
//   - a segment holding a template expression ("{…}") is kept verbatim;
//   - "_name_" (at least one character between the underscores) becomes
//     "{name}", the name kept verbatim;
//   - otherwise a capital letter in first position is lowered and every
//     other ASCII capital X becomes "-x": "membercardOpen" gives
//     "membercard-open", "V3" gives "v3", "OpenID" gives "open-i-d".
func normalizeSegment(s string) string {
	if strings.Contains(s, "{") {
		return s
	}
	if len(s) > 2 && s[0] == '_' && s[len(s)-1] == '_' {
		return "{" + s[1:len(s)-1] + "}"
	}
	if !hasUpper(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 4)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			if i > 0 {
				b.WriteByte('-')
			}
			c += 'a' - 'A'
		}
		b.WriteByte(c)
	}
	return b.String()
}

func hasUpper(s string) bool {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			return true
		}
	}
	return false
}
