package template

import (
	"fmt"
	"slices"
)

// Kind says how a value is read by [Template.Expand] and [Format].
type Kind int

const (
	// Undefined is nil, a nil pointer (a nil fmt.Stringer too), an empty
	// list or map, or a list or map holding only undefined members.
	Undefined Kind = iota
	// Scalar is a string, bool, integer, float, json.Number or
	// fmt.Stringer (of any named type, through pointers).
	Scalar
	// List is a slice or array of scalars.
	List
	// Map is an associative array: a map with string keys and scalar
	// values.
	Map
)

// String returns the kind's name, e.g. "list".
func (k Kind) String() string {
	switch k {
	case Undefined:
		return "undefined"
	case Scalar:
		return "scalar"
	case List:
		return "list"
	case Map:
		return "map"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Format turns a value into the texts [Template.Expand] writes for it,
// before percent-encoding: it is the one formatter of the module, so a
// value reads the same in a path, in a query and anywhere else text is
// made from it. A scalar gives one text (30 -> "30", 1.5 -> "1.5", a named
// int as its number, a fmt.Stringer as its String()); a list gives the
// texts of its defined members, in order; a map gives key, value, key,
// value… in sorted key order, skipping undefined values. An undefined value
// gives (Undefined, nil, nil).
//
// Types Expand refuses are refused here too (NaN and infinities, []byte,
// structs, nested lists or maps…). The error matches [ErrTemplate]; its
// message is the reason alone, without a prefix, for the caller to put in
// context.
func Format(v any) (Kind, []string, error) {
	var scratch [64]byte
	sc, err := toScalar(scratch[:0], v)
	switch {
	case err == errComposite:
		return formatComposite(v)
	case err != nil:
		return Undefined, nil, valueError{err}
	case !sc.defined:
		return Undefined, nil, nil
	}
	return Scalar, []string{sc.String()}, nil
}

// formatComposite is Format for lists and maps.
func formatComposite(v any) (Kind, []string, error) {
	switch x := v.(type) {
	case []string:
		return formatList(x, stringMember)
	case []any:
		return formatList(x, anyMember)
	case map[string]string:
		return formatMap(x, stringMember)
	case map[string]any:
		return formatMap(x, anyMember)
	}
	c, err := reflectComposite(v)
	switch {
	case err != nil:
		return Undefined, nil, valueError{err}
	case c.isMap:
		return formatMap(c.m, anyMember)
	}
	return formatList(c.list, anyMember)
}

func formatList[E any](items []E, conv func([]byte, E) (scalar, error)) (Kind, []string, error) {
	var scratch [64]byte
	texts := make([]string, 0, len(items))
	for i, item := range items {
		sc, err := conv(scratch[:0], item)
		if err != nil {
			return Undefined, nil, valueError{fmt.Errorf("member %d: %w", i, err)}
		}
		if sc.defined {
			texts = append(texts, sc.String())
		}
	}
	if len(texts) == 0 {
		return Undefined, nil, nil
	}
	return List, texts, nil
}

func formatMap[V any](m map[string]V, conv func([]byte, V) (scalar, error)) (Kind, []string, error) {
	var scratch [64]byte
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	texts := make([]string, 0, 2*len(m))
	for _, k := range keys {
		sc, err := conv(scratch[:0], m[k])
		if err != nil {
			return Undefined, nil, valueError{fmt.Errorf("key %q: %w", k, err)}
		}
		if sc.defined {
			texts = append(texts, k, sc.String())
		}
	}
	if len(texts) == 0 {
		return Undefined, nil, nil
	}
	return Map, texts, nil
}

// valueError is a value Format cannot turn into text. It matches
// ErrTemplate; its message is the reason alone.
type valueError struct{ reason error }

func (e valueError) Error() string { return e.reason.Error() }

func (e valueError) Unwrap() []error { return []error{ErrTemplate, e.reason} }
