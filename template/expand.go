package template

import "unsafe"

// Expand expands the template with vars following RFC 6570 exactly: a
// variable that is absent, nil, a nil pointer, an empty list or an empty map
// is undefined and omitted together with its operator prefix or separator.
// Keys of vars that the template does not use are ignored.
//
// Values may be strings, bools, integers and floats of any (named) type,
// json.Number, fmt.Stringer (which takes precedence over the kind), pointers
// to these (nil is undefined), lists (slices or arrays of scalars, e.g.
// []string, []any, []int) and associative arrays (maps with string keys and
// scalar values, expanded in sorted key order). nil members of a list or map
// are skipped. Floats are formatted without exponent (30 -> "30", 1.5 ->
// "1.5"); NaN and infinities are errors. []byte, nested lists or maps,
// structs, channels, functions and any other type are errors naming the
// variable and its Go type, as is a prefix modifier on a list or map.
//
// Every error is an [*Error] matching [ErrTemplate]; its message never
// contains variable values.
func (t *Template) Expand(vars map[string]any) (string, error) {
	return t.expand(vars, false)
}

// ExpandStrict is [Template.Expand] in strict mode: every variable of the
// template must be defined. A variable that is absent, nil, a nil pointer
// (a nil fmt.Stringer too), an empty list or map, or a list or map holding
// only undefined members is an [*Error] naming it, where Expand would
// silently omit it. Unknown keys of vars are still ignored.
func (t *Template) ExpandStrict(vars map[string]any) (string, error) {
	return t.expand(vars, true)
}

func (t *Template) expand(vars map[string]any, strict bool) (string, error) {
	buf, err := t.appendExpand(make([]byte, 0, t.sizeHint(vars)), vars, strict)
	if err != nil || len(buf) == 0 {
		return "", err
	}
	// buf is never written again: hand its bytes to the string, as
	// strings.Builder does, saving a copy and an allocation.
	return unsafe.String(unsafe.SliceData(buf), len(buf)), nil
}

// AppendExpand appends the expansion of the template (see
// [Template.Expand]) to dst and returns the extended buffer. It allocates
// nothing when dst has room and the values are strings, numbers or bools.
// On error it returns dst unchanged (at its original length).
func (t *Template) AppendExpand(dst []byte, vars map[string]any) ([]byte, error) {
	return t.appendExpand(dst, vars, false)
}

func (t *Template) appendExpand(dst []byte, vars map[string]any, strict bool) ([]byte, error) {
	orig := len(dst)
	for i := range t.parts {
		p := &t.parts[i]
		if p.op == nil {
			dst = append(dst, p.lit...)
			continue
		}
		var err error
		if dst, err = t.appendExpression(dst, p, vars, strict); err != nil {
			return dst[:orig], err
		}
	}
	return dst, nil
}

// appendExpression expands one expression: each defined variable is
// written after the operator's first string (for the first one) or its
// separator (for the others). In strict mode an undefined variable is an
// error.
func (t *Template) appendExpression(dst []byte, p *part, vars map[string]any, strict bool) ([]byte, error) {
	first := true
	for i := range p.specs {
		vs := &p.specs[i]
		v := vars[vs.name]
		if v == nil {
			if strict {
				return dst, t.undefined(vs.name)
			}
			continue
		}
		mark := len(dst)
		if first {
			dst = append(dst, p.op.first...)
		} else {
			dst = append(dst, p.op.sep)
		}
		var defined bool
		var err error
		dst, defined, err = appendValue(dst, p.op, vs, v)
		if err != nil {
			return dst, &Error{Template: t.src, Offset: -1, Var: vs.name, Reason: err.Error()}
		}
		if !defined {
			dst = dst[:mark]
			if strict {
				return dst, t.undefined(vs.name)
			}
			continue
		}
		first = false
	}
	return dst, nil
}

// appendValue expands one variable's value v; defined is false when the
// value turns out to be undefined (an empty list, a nil pointer...), in
// which case the caller discards what was written.
func appendValue(dst []byte, op *operator, vs *varspec, v any) (_ []byte, defined bool, _ error) {
	switch x := v.(type) {
	case string:
		return appendScalar(dst, op, vs, scalar{defined: true, text: x}), true, nil
	case []string:
		return appendList(dst, op, vs, x, stringMember)
	case []any:
		return appendList(dst, op, vs, x, anyMember)
	case map[string]string:
		return appendMap(dst, op, vs, x, stringMember)
	case map[string]any:
		return appendMap(dst, op, vs, x, anyMember)
	}
	var scratch [64]byte
	sc, err := toScalar(scratch[:0], v)
	switch {
	case err == errComposite:
		return appendReflect(dst, op, vs, v)
	case err != nil:
		return dst, false, err
	case !sc.defined:
		return dst, false, nil
	}
	return appendScalar(dst, op, vs, sc), true, nil
}

// appendScalar expands a defined scalar value.
func appendScalar(dst []byte, op *operator, vs *varspec, sc scalar) []byte {
	if op.named {
		dst = appendName(dst, op, vs.name, sc)
		if sc.empty() {
			return dst
		}
	}
	return sc.appendTo(dst, op.allowReserved, vs.prefix)
}

// sizeHint estimates the length of the expansion so that Expand allocates
// its buffer once in the common case.
func (t *Template) sizeHint(vars map[string]any) int {
	n := t.litLen
	for i := range t.parts {
		p := &t.parts[i]
		for j := range p.specs {
			n += len(p.specs[j].name) + 2
			switch v := vars[p.specs[j].name].(type) {
			case nil:
			case string:
				n += len(v)
			default:
				n += 24
			}
		}
	}
	return n
}

// undefined is the strict-mode error for variable name.
func (t *Template) undefined(name string) *Error {
	return &Error{Template: t.src, Offset: -1, Var: name,
		Reason: "undefined value (absent, nil, a nil pointer, an empty list or map, or a list or map of only undefined members)"}
}
