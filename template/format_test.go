package template

import (
	"errors"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
)

type namedInt int

type stringer struct{ s string }

func (s *stringer) String() string { return s.s }

func TestFormat(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		value any
		kind  Kind
		texts []string
	}{
		{"string", "a b", Scalar, []string{"a b"}},
		{"empty string", "", Scalar, []string{""}},
		{"int", 42, Scalar, []string{"42"}},
		{"named int", namedInt(7), Scalar, []string{"7"}},
		{"pointer to int", ptr(5), Scalar, []string{"5"}},
		{"float", 1.5, Scalar, []string{"1.5"}},
		{"whole float", 30.0, Scalar, []string{"30"}},
		{"bool", false, Scalar, []string{"false"}},
		{"Stringer", &stringer{"s"}, Scalar, []string{"s"}},
		{"[]string", []string{"a", "b"}, List, []string{"a", "b"}},
		{"[]int", []int{1, 2}, List, []string{"1", "2"}},
		{"[]namedInt", []namedInt{3}, List, []string{"3"}},
		{"array", [2]string{"x", "y"}, List, []string{"x", "y"}},
		{"[]any skips nil", []any{"a", nil, 2}, List, []string{"a", "2"}},
		{"map sorted", map[string]string{"b": "2", "a": "1"}, Map, []string{"a", "1", "b", "2"}},
		{"map skips nil", map[string]any{"b": nil, "a": 1}, Map, []string{"a", "1"}},
		{"named map", map[namedString]int{"k": 1}, Map, []string{"k", "1"}},
		{"nil", nil, Undefined, nil},
		{"nil pointer", (*int)(nil), Undefined, nil},
		{"nil Stringer", (*stringer)(nil), Undefined, nil},
		{"empty list", []string{}, Undefined, nil},
		{"nil list", []int(nil), Undefined, nil},
		{"only nils", []any{nil}, Undefined, nil},
		{"empty map", map[string]any{}, Undefined, nil},
		{"map of nils", map[string]any{"a": nil}, Undefined, nil},
	}
	for _, tt := range tests {
		kind, texts, err := Format(tt.value)
		if err != nil {
			t.Errorf("%s: Format(%#v) error %v", tt.name, tt.value, err)
			continue
		}
		if kind != tt.kind || !cmp.Equal(texts, tt.texts) {
			t.Errorf("%s: Format(%#v) = %v %q, want %v %q", tt.name, tt.value, kind, texts, tt.kind, tt.texts)
		}
	}
}

type namedString string

func ptr[T any](v T) *T { return &v }

func TestFormatRefusesWhatExpandRefuses(t *testing.T) {
	t.Parallel()
	tmpl := MustParse("{v}")
	for _, v := range []any{math.NaN(), math.Inf(-1), []byte("x"), struct{}{}, []any{[]string{"a"}}, map[int]string{1: "a"}, make(chan int)} {
		_, _, ferr := Format(v)
		_, eerr := tmpl.Expand(map[string]any{"v": v})
		if !errors.Is(ferr, ErrTemplate) || !errors.Is(eerr, ErrTemplate) {
			t.Errorf("%#v: Format error %v, Expand error %v; want both ErrTemplate", v, ferr, eerr)
		}
		if ferr != nil && len(ferr.Error()) > 9 && ferr.Error()[:9] == "wechatpay" {
			t.Errorf("%#v: Format error %q carries a prefix", v, ferr)
		}
	}
}

func TestExpandStrict(t *testing.T) {
	t.Parallel()
	tmpl := MustParse("v3/x/{id}{?q}")
	for _, v := range []any{nil, (*int)(nil), (*stringer)(nil), []string{}, map[string]string{}, []any{nil}, map[string]any{"a": nil}} {
		vars := map[string]any{"id": "1", "q": v}
		if got, err := tmpl.Expand(vars); err != nil || got != "v3/x/1" {
			t.Errorf("Expand with q=%#v = %q, %v; want the variable omitted", v, got, err)
		}
		_, err := tmpl.ExpandStrict(vars)
		var te *Error
		if !errors.As(err, &te) || te.Var != "q" {
			t.Errorf("ExpandStrict with q=%#v: err = %v, want an *Error naming q", v, err)
		}
	}
	if _, err := tmpl.ExpandStrict(map[string]any{"id": "1"}); err == nil {
		t.Error("ExpandStrict with q absent: no error")
	}
	if got, err := tmpl.ExpandStrict(map[string]any{"id": "", "q": []int{1, 2}}); err != nil || got != "v3/x/?q=1,2" {
		t.Errorf("ExpandStrict with defined values = %q, %v", got, err)
	}
}
