package wechatpay

import (
	"reflect"
	"testing"
)

// TestContainsSensitiveAgreesWithTheWalk checks the reflection-free path
// for M, []any and scalars against the reflective walk, and that other
// shapes (and a map holding itself) are left to the walk.
func TestContainsSensitiveAgreesWithTheWalk(t *testing.T) {
	t.Parallel()
	cyclic := M{"a": 1}
	cyclic["self"] = cyclic
	type withField struct{ Name Sensitive }
	for _, tc := range []struct {
		name  string
		v     any
		want  bool
		known bool
	}{
		{"nil", nil, false, true},
		{"plain M", M{"a": "x", "n": 1, "f": 1.5, "b": true, "z": nil}, false, true},
		{"top-level Sensitive", Sensitive("张三"), true, true},
		{"nested M", M{"contact": M{"name": Sensitive("张三")}}, true, true},
		{"in a list", M{"l": []any{1, M{"x": Sensitive("a")}}}, true, true},
		{"empty containers", M{"m": M{}, "l": []any{}}, false, true},
		{"struct field", M{"s": withField{Name: "a"}}, true, false},
		{"typed map", M{"m": map[string]string{"a": "b"}}, false, false},
		{"pointer", M{"p": new(Sensitive)}, true, false},
		{"map holding itself", cyclic, false, false},
	} {
		found, known := sensitiveInPlain(tc.v, 0)
		if known != tc.known || (known && found != tc.want) {
			t.Errorf("%s: sensitiveInPlain = %v, %v; want %v, %v", tc.name, found, known, tc.want, tc.known)
		}
		if got := containsSensitive(tc.v); got != tc.want {
			t.Errorf("%s: containsSensitive = %v, want %v", tc.name, got, tc.want)
		}
		if got := hasSensitive(reflect.ValueOf(tc.v), 0); got != tc.want {
			t.Errorf("%s: the reflective walk says %v, want %v", tc.name, got, tc.want)
		}
	}
}
