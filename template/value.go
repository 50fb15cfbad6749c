package template

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"
)

// maxIndirections bounds how many pointers are followed to reach a value, so
// that a self-referencing pointer type cannot loop forever.
const maxIndirections = 8

// errComposite tells the caller that a value is a list or map, not a scalar.
var errComposite = errors.New("composite value")

// scalar is a variable value or list/map member, formatted for expansion.
type scalar struct {
	defined bool   // false: nil, a nil pointer; the value is omitted
	text    string // the value's text, when num is nil
	num     []byte // a formatted number: only ASCII digits, '-' and '.'
}

func (sc scalar) empty() bool { return sc.num == nil && sc.text == "" }

// String returns the value's text, not percent-encoded.
func (sc scalar) String() string {
	if sc.num != nil {
		return string(sc.num)
	}
	return sc.text
}

// appendTo appends the encoded value, keeping at most prefix characters
// when prefix > 0.
func (sc scalar) appendTo(dst []byte, allowReserved bool, prefix int) []byte {
	if sc.num != nil {
		// Digits, '-' and '.' are unreserved: nothing to encode.
		n := sc.num
		if prefix > 0 && prefix < len(n) {
			n = n[:prefix]
		}
		return append(dst, n...)
	}
	return appendEncoded(dst, sc.text, allowReserved, prefix)
}

// toScalar formats v when it is a scalar: a string, bool, integer or float
// (of any named type, through pointers), json.Number or fmt.Stringer.
// Numbers are formatted into scratch. It returns errComposite for lists and
// maps and a descriptive error for any other type.
func toScalar(scratch []byte, v any) (scalar, error) {
	switch x := v.(type) {
	case nil:
		return scalar{}, nil
	case string:
		return scalar{defined: true, text: x}, nil
	case bool:
		return scalar{defined: true, text: strconv.FormatBool(x)}, nil
	case int:
		return number(strconv.AppendInt(scratch, int64(x), 10)), nil
	case int8:
		return number(strconv.AppendInt(scratch, int64(x), 10)), nil
	case int16:
		return number(strconv.AppendInt(scratch, int64(x), 10)), nil
	case int32:
		return number(strconv.AppendInt(scratch, int64(x), 10)), nil
	case int64:
		return number(strconv.AppendInt(scratch, x, 10)), nil
	case uint:
		return number(strconv.AppendUint(scratch, uint64(x), 10)), nil
	case uint8:
		return number(strconv.AppendUint(scratch, uint64(x), 10)), nil
	case uint16:
		return number(strconv.AppendUint(scratch, uint64(x), 10)), nil
	case uint32:
		return number(strconv.AppendUint(scratch, uint64(x), 10)), nil
	case uint64:
		return number(strconv.AppendUint(scratch, x, 10)), nil
	case float64:
		return float(scratch, x, 64)
	case float32:
		return float(scratch, float64(x), 32)
	case json.Number:
		return scalar{defined: true, text: string(x)}, nil
	case []string, []any, map[string]string, map[string]any:
		return scalar{}, errComposite
	}
	return reflectScalar(v)
}

// reflectScalar is the slow path of toScalar: fmt.Stringer, pointers (nil
// is undefined) and named types. It may allocate, and it does not take the
// scratch buffer, so that the fast path's buffer stays on the caller's
// stack.
func reflectScalar(v any) (scalar, error) {
	rv := reflect.ValueOf(v)
	for depth := 0; ; depth++ {
		if rv.Kind() == reflect.Pointer && rv.IsNil() {
			return scalar{}, nil
		}
		if s, ok := rv.Interface().(fmt.Stringer); ok {
			text, err := callString(s)
			return scalar{defined: err == nil, text: text}, err
		}
		if rv.Kind() != reflect.Pointer {
			break
		}
		if depth == maxIndirections {
			return scalar{}, fmt.Errorf("type %T: too many pointer indirections", v)
		}
		rv = rv.Elem()
	}
	switch rv.Kind() {
	case reflect.String:
		return scalar{defined: true, text: rv.String()}, nil
	case reflect.Bool:
		return scalar{defined: true, text: strconv.FormatBool(rv.Bool())}, nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return number(strconv.AppendInt(nil, rv.Int(), 10)), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return number(strconv.AppendUint(nil, rv.Uint(), 10)), nil
	case reflect.Float32:
		return float(nil, rv.Float(), 32)
	case reflect.Float64:
		return float(nil, rv.Float(), 64)
	case reflect.Slice, reflect.Array, reflect.Map:
		return scalar{}, errComposite
	}
	return scalar{}, unsupported(v)
}

func number(b []byte) scalar { return scalar{defined: true, num: b} }

// float formats f the way a merchant writes it: 30 -> "30", 1.5 -> "1.5",
// never with an exponent. NaN and infinities have no URI form.
func float(scratch []byte, f float64, bits int) (scalar, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return scalar{}, errors.New("float value is not finite")
	}
	return number(strconv.AppendFloat(scratch, f, 'f', -1, bits)), nil
}

// callString calls s.String(), turning a panic (say, a nil receiver the
// method does not expect) into an error.
func callString(s fmt.Stringer) (text string, err error) {
	defer func() {
		if recover() != nil {
			err = fmt.Errorf("String method of %T panicked", s)
		}
	}()
	return s.String(), nil
}

// typeError reports a value of a type Expand does not support.
type typeError struct{ typ string }

func (e *typeError) Error() string {
	return "unsupported type " + e.typ + " (want a string, bool, number, fmt.Stringer, or a list or map of those)"
}

func unsupported(v any) error { return &typeError{fmt.Sprintf("%T", v)} }
