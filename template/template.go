package template

import "slices"

// Template is a parsed RFC 6570 URI Template. It is immutable after [Parse]
// and safe for concurrent use by multiple goroutines.
type Template struct {
	src    string
	parts  []part
	names  []string // distinct variable names, in order of first use
	litLen int      // total length of the (encoded) literal parts
	nvars  int      // number of varspecs over all expressions
}

// part is a literal (op == nil) or an expression.
type part struct {
	lit   string    // encoded literal text, ready to copy
	op    *operator // the expression's operator; nil for a literal
	specs []varspec // the expression's variables
}

// varspec is one variable of an expression with its modifier.
type varspec struct {
	name    string
	prefix  int  // maximum length in characters; 0 means no prefix modifier
	explode bool // the "*" modifier
	offset  int  // byte offset of the name in the template source
}

// MustParse is like [Parse] but panics if s is not a valid template. It is
// meant for templates fixed at compile time, e.g. package-level variables.
func MustParse(s string) *Template {
	t, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return t
}

// Names returns the names of the template's variables, in order of first
// use, without duplicates. The slice is a fresh copy that the caller may
// modify.
func (t *Template) Names() []string {
	return slices.Clone(t.names)
}

// String returns the source text the template was parsed from.
func (t *Template) String() string {
	return t.src
}
