package wechatpaytest

import (
	"errors"
	"fmt"
	"strings"
)

// AuthScheme is the only Authorization scheme APIv3 accepts.
const AuthScheme = "WECHATPAY2-SHA256-RSA2048"

// authorization holds the parameters of a WECHATPAY2-SHA256-RSA2048
// Authorization header.
type authorization struct {
	mchid, serialNo, timestamp, nonceStr, signature string
}

// errMalformed marks an Authorization header that does not parse.
var errMalformed = errors.New("malformed Authorization")

// parseAuthorization parses `WECHATPAY2-SHA256-RSA2048 k="v",k="v",…`
// strictly: the scheme exactly, the five parameters mchid, serial_no,
// timestamp, nonce_str and signature each exactly once (in any order, as the
// official SDKs differ on order), values in double quotes without escapes or
// control characters, parameters separated by commas with optional spaces
// around them (RFC 9110 list syntax). Anything else is an error naming the
// problem, never quoting the signature.
func parseAuthorization(h string) (authorization, error) {
	var a authorization
	scheme, params, ok := strings.Cut(h, " ")
	if !ok {
		if h == AuthScheme {
			return a, fmt.Errorf("%w: the scheme has no parameters", errMalformed)
		}
		return a, fmt.Errorf("%w: want the scheme %s followed by a space and parameters", errMalformed, AuthScheme)
	}
	if scheme != AuthScheme {
		return a, fmt.Errorf("%w: scheme %q is not %s", errMalformed, truncate(scheme, 40), AuthScheme)
	}
	fields := map[string]*string{
		"mchid":     &a.mchid,
		"serial_no": &a.serialNo,
		"timestamp": &a.timestamp,
		"nonce_str": &a.nonceStr,
		"signature": &a.signature,
	}
	seen := map[string]bool{}
	rest := strings.TrimLeft(params, " \t")
	for {
		name, value, tail, err := nextParam(rest)
		if err != nil {
			return a, err
		}
		dst, known := fields[name]
		if !known {
			return a, fmt.Errorf("%w: unknown parameter %q", errMalformed, truncate(name, 40))
		}
		if seen[name] {
			return a, fmt.Errorf("%w: parameter %s appears twice", errMalformed, name)
		}
		seen[name] = true
		*dst = value
		tail = strings.TrimLeft(tail, " \t")
		if tail == "" {
			break
		}
		if tail[0] != ',' {
			return a, fmt.Errorf("%w: want a comma after parameter %s", errMalformed, name)
		}
		rest = strings.TrimLeft(tail[1:], " \t")
	}
	for _, name := range []string{"mchid", "serial_no", "timestamp", "nonce_str", "signature"} {
		if !seen[name] {
			return a, fmt.Errorf("%w: missing parameter %s", errMalformed, name)
		}
	}
	return a, nil
}

// nextParam reads `name="value"` from the start of s.
func nextParam(s string) (name, value, rest string, err error) {
	i := 0
	for i < len(s) && isNameChar(s[i]) {
		i++
	}
	if i == 0 {
		return "", "", "", fmt.Errorf("%w: want a parameter name", errMalformed)
	}
	name, s = s[:i], s[i:]
	if !strings.HasPrefix(s, `="`) {
		return "", "", "", fmt.Errorf("%w: parameter %q: want =\"value\"", errMalformed, truncate(name, 40))
	}
	s = s[2:]
	end := strings.IndexByte(s, '"')
	if end < 0 {
		return "", "", "", fmt.Errorf("%w: parameter %q: unterminated quoted value", errMalformed, truncate(name, 40))
	}
	value = s[:end]
	for j := 0; j < len(value); j++ {
		if c := value[j]; c < ' ' || c == 0x7f || c == '\\' {
			return "", "", "", fmt.Errorf("%w: parameter %q: control character or backslash in value", errMalformed, truncate(name, 40))
		}
	}
	return name, value, s[end+1:], nil
}

func isNameChar(c byte) bool {
	return c == '_' || c == '-' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// truncate keeps error messages short when quoting untrusted input.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
