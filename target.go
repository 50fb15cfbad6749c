package wechatpay

import (
	"fmt"
	"net/url"
	"strings"
)

// target expands the chain's template with the template variables of opts,
// enforcing the strict rules: every variable defined, every non-reserved
// key a variable, no dot or empty segment in the result and no trailing
// '/' the template does not have itself (an empty value filling the last
// segment would address the collection instead of the item).
// It returns the path (and any query the template itself produced),
// relative to the base URL.
func (ch *Chain) target(opts Options) (string, error) {
	if ch.err != nil {
		return "", ch.err
	}
	for _, name := range ch.names {
		if v, ok := opts[name]; !ok || v == nil {
			return "", fmt.Errorf("%w: chain %q: missing value for variable %q", ErrTemplate, ch.path, name)
		}
	}
	for key := range opts {
		if !isReserved(key) && !ch.hasName(key) {
			return "", fmt.Errorf("%w: chain %q: unknown option %q: neither a template variable nor a reserved key (%s)", ErrTemplate, ch.path, key, reservedList())
		}
	}
	expanded, err := ch.tmpl.ExpandStrict(opts)
	if err != nil {
		return "", fmt.Errorf("chain %q: %w", ch.path, err)
	}
	if err := checkPath(expanded, ch.slashEnd); err != nil {
		return "", fmt.Errorf("chain %q: %w", ch.path, err)
	}
	return expanded, nil
}

func (ch *Chain) hasName(key string) bool {
	for _, n := range ch.names {
		if n == key {
			return true
		}
	}
	return false
}

// checkPath rejects an expanded target whose path part holds a dot segment
// ("." or "..", also percent-encoded, also hidden behind an encoded '/' or
// '\\') or an empty segment, either of which could re-target a signed
// request, and a trailing '/' unless slashEnd (the template's path ends
// with one). It scans the path once, segment by segment.
func checkPath(target string, slashEnd bool) error {
	path := target
	if i := strings.IndexAny(path, "?#"); i >= 0 {
		path = path[:i]
	}
	start, n := 0, 1
	for i := 0; i <= len(path); i++ {
		if i < len(path) && path[i] != '/' {
			continue
		}
		seg, last := path[start:i], i == len(path)
		switch {
		case seg == "" && !last:
			return fmt.Errorf("%w: expanded path %q has an empty segment (position %d): an empty value fills it", ErrTemplate, path, n)
		case seg == "" && !slashEnd:
			return fmt.Errorf("%w: expanded path %q ends with an empty segment: an empty value fills the last segment, which would address the collection instead of the item", ErrTemplate, path)
		case isDotSegment(seg):
			return fmt.Errorf("%w: expanded path %q has an unsafe segment %q (position %d): a dot segment, possibly percent-encoded, or invalid percent-encoding", ErrTemplate, path, seg, n)
		}
		start, n = i+1, n+1
	}
	return nil
}

// isDotSegment reports whether seg is, or decodes to something holding, a
// "." or ".." path segment.
func isDotSegment(seg string) bool {
	if seg == "." || seg == ".." {
		return true
	}
	if !hasEscape(seg) {
		return false
	}
	decoded, err := url.PathUnescape(seg)
	if err != nil {
		// Not valid percent-encoding: refuse to guess how a server reads it.
		return true
	}
	for _, piece := range strings.FieldsFunc(decoded, func(r rune) bool { return r == '/' || r == '\\' }) {
		if piece == "." || piece == ".." {
			return true
		}
	}
	return decoded == "." || decoded == ".."
}

// hasEscape reports whether seg holds a '%' or a '\\', the only ways a
// segment other than "." and ".." can stand for a dot segment.
func hasEscape(seg string) bool {
	for i := 0; i < len(seg); i++ {
		if seg[i] == '%' || seg[i] == '\\' {
			return true
		}
	}
	return false
}
