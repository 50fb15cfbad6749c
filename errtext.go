package wechatpay

import (
	"strings"
)

// plainText returns err's message without a leading package prefix
// ("wechatpay: ", "signer: "), for embedding in a message that carries the
// one "wechatpay:" prefix itself.
func plainText(err error) string {
	if err == nil {
		return ""
	}
	msg := err.Error()
	for _, p := range []string{"wechatpay: ", "signer: "} {
		if rest, ok := strings.CutPrefix(msg, p); ok {
			return rest
		}
	}
	return msg
}

// plainError is err with the package prefix of its message removed; it
// still unwraps to err.
type plainError struct{ err error }

func (e plainError) Error() string { return plainText(e.err) }
func (e plainError) Unwrap() error { return e.err }

// taggedError is a message of its own that matches the given sentinels and
// causes with errors.Is and errors.As.
type taggedError struct {
	msg  string
	tags []error
}

func (e *taggedError) Error() string   { return e.msg }
func (e *taggedError) Unwrap() []error { return e.tags }

// tagged returns an error with message msg matching every non-nil tag.
func tagged(msg string, tags ...error) error {
	kept := make([]error, 0, len(tags))
	for _, t := range tags {
		if t != nil {
			kept = append(kept, t)
		}
	}
	return &taggedError{msg: msg, tags: kept}
}
