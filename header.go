package wechatpay

import (
	"fmt"
	"net/http"
)

// encodeHeaders converts the "headers" option to an http.Header (always
// non-nil, never aliasing the caller's map) and checks it before anything
// is signed: every name must be an HTTP token and every value free of the
// control bytes net/http refuses (CR, LF, NUL...), and Authorization (set
// by the signer) and Host (a signed request must not be handed to another
// virtual host) cannot be given. Errors name the header, never its value.
func encodeHeaders(v any) (http.Header, error) {
	h := make(http.Header)
	switch x := v.(type) {
	case nil:
	case http.Header:
		for k, vals := range x {
			for _, val := range vals {
				h.Add(k, val)
			}
		}
	case map[string]string:
		for k, val := range x {
			h.Set(k, val)
		}
	default:
		return nil, fmt.Errorf("%w: option \"headers\": unsupported type %T (want http.Header or map[string]string)", ErrTemplate, v)
	}
	for k, vals := range h {
		if err := checkHeader(k, vals); err != nil {
			return nil, err
		}
	}
	return h, nil
}

// checkHeader checks one header of the "headers" option.
func checkHeader(name string, values []string) error {
	if !isToken(name) {
		return fmt.Errorf("%w: option \"headers\": %q is not a valid header name", ErrTemplate, name)
	}
	switch http.CanonicalHeaderKey(name) {
	case "Authorization":
		return fmt.Errorf("%w: option \"headers\": Authorization is set by the signer and cannot be given", ErrTemplate)
	case "Host":
		return fmt.Errorf("%w: option \"headers\": Host cannot be given: a signed request goes to the base URL's host only", ErrTemplate)
	}
	for i, val := range values {
		if at := badValueByte(val); at >= 0 {
			return fmt.Errorf("%w: option \"headers\": value %d of %q has a control byte %#02x at offset %d (CR, LF, NUL and other control bytes are not allowed)", ErrTemplate, i+1, name, val[at], at)
		}
	}
	return nil
}

// isToken reports whether s is an RFC 9110 token, the syntax of a header
// name.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isTokenChar(s[i]) {
			return false
		}
	}
	return true
}

func isTokenChar(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	switch c {
	case '!', '#', '$', '%', '&', '\'', '*', '+', '-', '.', '^', '_', '`', '|', '~':
		return true
	}
	return false
}

// badValueByte returns the offset of the first byte of a header value that
// net/http refuses (a control byte other than horizontal tab, or DEL), or
// -1.
func badValueByte(v string) int {
	for i := 0; i < len(v); i++ {
		if c := v[i]; (c < ' ' && c != '\t') || c == 0x7f {
			return i
		}
	}
	return -1
}
