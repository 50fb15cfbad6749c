package signer

import (
	"errors"
	"fmt"
	"strings"
)

// ErrAuthorization is wrapped by ParseAuthorization for every malformed
// header.
var ErrAuthorization = errors.New("signer: malformed Authorization header")

// Authorization holds the five parameters of an APIv3 Authorization
// header. The field values are used verbatim.
type Authorization struct {
	MchID     string // mchid
	Serial    string // serial_no
	Timestamp string // timestamp, Unix seconds in decimal
	Nonce     string // nonce_str
	Signature string // signature, standard base64
}

// The parameter names, in the order String writes them.
const (
	paramMchID     = "mchid"
	paramSerial    = "serial_no"
	paramTimestamp = "timestamp"
	paramNonce     = "nonce_str"
	paramSignature = "signature"
)

// String formats the header value exactly as WeChat Pay expects:
//
//	WECHATPAY2-SHA256-RSA2048 mchid="…",serial_no="…",timestamp="…",nonce_str="…",signature="…"
//
// with the fields in this order and no spaces after the commas.
func (a Authorization) String() string {
	return authorizationHeader(a.MchID, a.Serial, []byte(a.Timestamp), []byte(a.Nonce), []byte(a.Signature))
}

// ParseAuthorization parses an Authorization header value strictly: the
// scheme must be Scheme followed by one space, then each of the five
// parameters exactly once (in any order), each written name="value" with a
// non-empty value free of quotes, backslashes and control characters,
// separated by commas (optionally followed by spaces). Unknown parameters
// and a non-decimal timestamp are errors. Errors wrap ErrAuthorization and
// never quote the signature.
func ParseAuthorization(header string) (Authorization, error) {
	rest, ok := strings.CutPrefix(header, Scheme+" ")
	if !ok {
		return Authorization{}, fmt.Errorf("%w: scheme is not %s", ErrAuthorization, Scheme)
	}
	var a Authorization
	seen := make(map[string]bool, 5)
	for i := 0; ; i++ {
		if i > 0 {
			if rest == "" {
				break
			}
			if rest[0] != ',' {
				return Authorization{}, fmt.Errorf("%w: expected \",\" between parameters", ErrAuthorization)
			}
			rest = strings.TrimLeft(rest[1:], " ")
		}
		name, value, tail, err := parseParam(rest)
		if err != nil {
			return Authorization{}, err
		}
		rest = tail
		if seen[name] {
			return Authorization{}, fmt.Errorf("%w: parameter %s appears more than once", ErrAuthorization, name)
		}
		seen[name] = true
		switch name {
		case paramMchID:
			a.MchID = value
		case paramSerial:
			a.Serial = value
		case paramTimestamp:
			a.Timestamp = value
		case paramNonce:
			a.Nonce = value
		case paramSignature:
			a.Signature = value
		default:
			return Authorization{}, fmt.Errorf("%w: unknown parameter %q", ErrAuthorization, name)
		}
	}
	for _, name := range []string{paramMchID, paramSerial, paramTimestamp, paramNonce, paramSignature} {
		if !seen[name] {
			return Authorization{}, fmt.Errorf("%w: missing parameter %s", ErrAuthorization, name)
		}
	}
	if !isDecimal(a.Timestamp) {
		return Authorization{}, fmt.Errorf("%w: timestamp is not a decimal number", ErrAuthorization)
	}
	return a, nil
}

// parseParam reads name="value" at the start of s.
func parseParam(s string) (name, value, rest string, err error) {
	eq := strings.IndexByte(s, '=')
	if eq <= 0 {
		return "", "", "", fmt.Errorf("%w: expected name=\"value\"", ErrAuthorization)
	}
	name = s[:eq]
	for i := 0; i < len(name); i++ {
		if c := name[i]; !(c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return "", "", "", fmt.Errorf("%w: invalid parameter name", ErrAuthorization)
		}
	}
	s = s[eq+1:]
	if s == "" || s[0] != '"' {
		return "", "", "", fmt.Errorf("%w: value of %s is not quoted", ErrAuthorization, name)
	}
	end := strings.IndexByte(s[1:], '"')
	if end < 0 {
		return "", "", "", fmt.Errorf("%w: unterminated value of %s", ErrAuthorization, name)
	}
	value = s[1 : 1+end]
	if value == "" {
		return "", "", "", fmt.Errorf("%w: empty value of %s", ErrAuthorization, name)
	}
	for i := 0; i < len(value); i++ {
		if c := value[i]; c < ' ' || c >= 0x7f || c == '\\' {
			return "", "", "", fmt.Errorf("%w: invalid character in value of %s", ErrAuthorization, name)
		}
	}
	return name, value, s[end+2:], nil
}

// isDecimal reports whether s is 1 to 18 ASCII digits, so that it always
// parses into an int64 and differences with the current time cannot
// overflow.
func isDecimal(s string) bool {
	if s == "" || len(s) > 18 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
