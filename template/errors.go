package template

import (
	"errors"
	"strconv"
	"strings"
)

// ErrTemplate is the sentinel matched by every error of this package:
// errors.Is(err, ErrTemplate) holds for syntax errors from [Parse] and for
// expansion errors from [Template.Expand] and [Template.AppendExpand].
var ErrTemplate = errors.New("wechatpay: template error")

// Error describes a template failure: a syntax error found by [Parse] (with
// the byte offset where it was found) or an expansion error (with the name of
// the variable whose value could not be expanded). It unwraps to
// [ErrTemplate].
//
// Error messages name variables, Go types and (for a bad associative array
// member) the map key, but never quote variable values, so they are safe to
// log.
type Error struct {
	// Template is the source text of the template.
	Template string
	// Offset is the byte offset in Template of a syntax error, or -1 for an
	// expansion error.
	Offset int
	// Var is the variable whose value could not be expanded; empty for
	// syntax errors.
	Var string
	// Reason says what went wrong, e.g. "unclosed expression".
	Reason string
}

// Error renders the failure, e.g.
//
//	wechatpay: template error: unclosed expression at offset 12 in "v3/pay/{id"
//	wechatpay: template error: variable "id": unsupported type chan int in "v3/pay/{id}"
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(ErrTemplate.Error())
	b.WriteString(": ")
	if e.Var != "" {
		b.WriteString("variable ")
		b.WriteString(strconv.Quote(e.Var))
		b.WriteString(": ")
	}
	b.WriteString(e.Reason)
	if e.Offset >= 0 {
		b.WriteString(" at offset ")
		b.WriteString(strconv.Itoa(e.Offset))
	}
	b.WriteString(" in ")
	b.WriteString(strconv.Quote(e.Template))
	return b.String()
}

// Unwrap returns [ErrTemplate].
func (e *Error) Unwrap() error { return ErrTemplate }

// syntaxError builds the error for a syntax problem at byte offset off of src.
func syntaxError(src string, off int, reason string) *Error {
	return &Error{Template: src, Offset: off, Reason: reason}
}
