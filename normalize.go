package wechatpay

import (
	"fmt"
	"strings"
)

// splitSegments splits one Chain argument on '/', but never inside a
// template expression, so that "files{/path*}" stays one segment. It
// reports whether the argument ended with a '/'. Leading slashes are
// ignored: every path is relative to the client's base URL.
func splitSegments(part string) (segments []string, trailingSlash bool, err error) {
	part = strings.TrimLeft(part, "/")
	if part == "" {
		return nil, false, nil
	}
	depth, start := 0, 0
	for i := 0; i < len(part); i++ {
		switch part[i] {
		case '{':
			depth++
		case '}':
			if depth > 0 {
				depth--
			}
		case '/':
			if depth == 0 {
				segments = append(segments, part[start:i])
				start = i + 1
			}
		}
	}
	if start < len(part) {
		segments = append(segments, part[start:])
	} else {
		trailingSlash = true
	}
	for i, s := range segments {
		if s == "" {
			return nil, false, fmt.Errorf("%w: empty path segment in %q (segment %d)", ErrTemplate, part, i+1)
		}
	}
	return segments, trailingSlash, nil
}

// normalizeSegment applies the chain's segment rules to one segment:
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
