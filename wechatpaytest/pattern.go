package wechatpaytest

import (
	"net/url"
	"strings"
)

// pattern is a route pattern such as
// "v3/pay/transactions/id/{transaction_id}": path segments, each either a
// literal or a {name} placeholder matching exactly one non-empty segment.
type pattern struct {
	raw  string
	segs []segment
}

type segment struct {
	text  string // the literal, or the placeholder's name
	isVar bool
}

// parsePattern never fails: a leading "/" and anything from "?" on are
// dropped, a segment that is exactly "{name}" (name non-empty) is a
// placeholder, and every other segment is a literal compared with the
// request's decoded segment.
func parsePattern(p string) pattern {
	p = strings.TrimPrefix(p, "/")
	if i := strings.IndexByte(p, '?'); i >= 0 {
		p = p[:i]
	}
	parts := strings.Split(p, "/")
	segs := make([]segment, len(parts))
	for i, s := range parts {
		if len(s) > 2 && s[0] == '{' && s[len(s)-1] == '}' && !strings.ContainsAny(s[1:len(s)-1], "{}") {
			segs[i] = segment{text: s[1 : len(s)-1], isVar: true}
		} else {
			segs[i] = segment{text: s}
		}
	}
	return pattern{raw: p, segs: segs}
}

// match matches an escaped path relative to the base path (no leading "/")
// and returns the placeholders' percent-decoded values.
func (p pattern) match(escapedPath string) (map[string]string, bool) {
	parts := strings.Split(escapedPath, "/")
	if len(parts) != len(p.segs) {
		return nil, false
	}
	var vars map[string]string
	for i, seg := range p.segs {
		v, err := url.PathUnescape(parts[i])
		if err != nil {
			return nil, false
		}
		if !seg.isVar {
			if v != seg.text {
				return nil, false
			}
			continue
		}
		if v == "" {
			return nil, false
		}
		if vars == nil {
			vars = make(map[string]string)
		}
		vars[seg.text] = v
	}
	return vars, true
}

// moreSpecific reports whether p should win over q when both match: at the
// first segment where one has a literal and the other a placeholder, the
// literal wins.
func (p pattern) moreSpecific(q pattern) bool {
	for i := 0; i < len(p.segs) && i < len(q.segs); i++ {
		if p.segs[i].isVar != q.segs[i].isVar {
			return !p.segs[i].isVar
		}
	}
	return false
}
