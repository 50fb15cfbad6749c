package template

import (
	"fmt"
	"reflect"
	"slices"
)

// appendList expands a list value. A list with no defined member (it is
// empty, or every member is nil) is undefined: ok is false.
func appendList[E any](dst []byte, op *operator, vs *varspec, items []E, conv func([]byte, E) (scalar, error)) (_ []byte, ok bool, _ error) {
	if vs.prefix > 0 {
		return dst, false, prefixError(vs, "a list")
	}
	var scratch [64]byte
	n := 0
	if !vs.explode && op.named {
		dst = append(dst, vs.name...)
		dst = append(dst, '=')
	}
	for _, item := range items {
		sc, err := conv(scratch[:0], item)
		if err != nil {
			return dst, false, err
		}
		if !sc.defined {
			continue
		}
		switch {
		case !vs.explode:
			if n > 0 {
				dst = append(dst, ',')
			}
		default:
			if n > 0 {
				dst = append(dst, op.sep)
			}
			if op.named {
				dst = appendName(dst, op, vs.name, sc)
			}
		}
		dst = sc.appendTo(dst, op.allowReserved, 0)
		n++
	}
	return dst, n > 0, nil
}

// appendMap expands an associative array, its keys in sorted order. A map
// with no defined value is undefined: ok is false.
func appendMap[V any](dst []byte, op *operator, vs *varspec, m map[string]V, conv func([]byte, V) (scalar, error)) (_ []byte, ok bool, _ error) {
	if vs.prefix > 0 {
		return dst, false, prefixError(vs, "an associative array")
	}
	if len(m) == 0 {
		return dst, false, nil
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var scratch [64]byte
	n := 0
	if !vs.explode && op.named {
		dst = append(dst, vs.name...)
		dst = append(dst, '=')
	}
	for _, k := range keys {
		sc, err := conv(scratch[:0], m[k])
		if err != nil {
			return dst, false, fmt.Errorf("key %q: %w", k, err)
		}
		if !sc.defined {
			continue
		}
		if !vs.explode {
			if n > 0 {
				dst = append(dst, ',')
			}
			dst = appendEncoded(dst, k, op.allowReserved, 0)
			dst = append(dst, ',')
		} else {
			if n > 0 {
				dst = append(dst, op.sep)
			}
			dst = appendEncoded(dst, k, op.allowReserved, 0)
			if op.named && sc.empty() {
				dst = append(dst, op.ifEmpty...)
			} else {
				dst = append(dst, '=')
			}
		}
		dst = sc.appendTo(dst, op.allowReserved, 0)
		n++
	}
	return dst, n > 0, nil
}

// appendName appends name and then, for a named operator, the ifEmpty text
// or "=" that introduces the value.
func appendName(dst []byte, op *operator, name string, sc scalar) []byte {
	dst = append(dst, name...)
	if sc.empty() {
		return append(dst, op.ifEmpty...)
	}
	return append(dst, '=')
}

func prefixError(vs *varspec, what string) error {
	return fmt.Errorf("prefix modifier :%d cannot apply to %s (RFC 6570 section 2.4.1)", vs.prefix, what)
}

// stringMember converts a member of a []string or map[string]string.
func stringMember(_ []byte, s string) (scalar, error) {
	return scalar{defined: true, text: s}, nil
}

// anyMember converts a member of a []any or map[string]any: it must be a
// scalar; nil members are undefined and skipped.
func anyMember(scratch []byte, v any) (scalar, error) {
	sc, err := toScalar(scratch, v)
	if err == errComposite {
		return scalar{}, fmt.Errorf("member of type %T is not a scalar: lists and maps do not nest", v)
	}
	return sc, err
}

// appendReflect expands the lists and maps the fast path does not know:
// pointers to them, slices and arrays of any scalar type ([]int,
// []CardID...), maps with string-kind keys and scalar values.
func appendReflect(dst []byte, op *operator, vs *varspec, v any) ([]byte, bool, error) {
	c, err := reflectComposite(v)
	switch {
	case err != nil:
		return dst, false, err
	case c.isMap:
		return appendMap(dst, op, vs, c.m, anyMember)
	}
	return appendList(dst, op, vs, c.list, anyMember)
}

// composite is a list (list) or an associative array (m, isMap) read
// through reflection. A nil pointer reads as an empty list: undefined.
type composite struct {
	list  []any
	m     map[string]any
	isMap bool
}

// reflectComposite reads a list or map value of any type: pointers to
// them, slices and arrays of any element type except bytes, maps with
// string-kind keys. Members are checked later, by anyMember.
func reflectComposite(v any) (composite, error) {
	rv := reflect.ValueOf(v)
	for depth := 0; rv.Kind() == reflect.Pointer; depth++ {
		switch {
		case rv.IsNil():
			return composite{}, nil
		case depth == maxIndirections:
			return composite{}, fmt.Errorf("type %T: too many pointer indirections", v)
		}
		rv = rv.Elem()
	}
	switch rv.Kind() {
	case reflect.Slice, reflect.Array:
		if rv.Type().Elem().Kind() == reflect.Uint8 {
			return composite{}, fmt.Errorf("unsupported type %T: convert bytes to a string", v)
		}
		items := make([]any, rv.Len())
		for i := range items {
			items[i] = rv.Index(i).Interface()
		}
		return composite{list: items}, nil
	case reflect.Map:
		if rv.Type().Key().Kind() != reflect.String {
			return composite{}, fmt.Errorf("unsupported type %T: map keys must be strings", v)
		}
		m := make(map[string]any, rv.Len())
		for it := rv.MapRange(); it.Next(); {
			m[it.Key().String()] = it.Value().Interface()
		}
		return composite{m: m, isMap: true}, nil
	}
	return composite{}, unsupported(v)
}
