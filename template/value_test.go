package template

import (
	"encoding/json"
	"errors"
	"math"
	"net"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

type cardID string

type status int

func (s status) String() string { return [...]string{"OPEN", "CLOSED"}[s] }

type panicky struct{}

func (*panicky) String() string { panic("boom") }

// TestExpandValueTypes covers every supported Go type.
func TestExpandValueTypes(t *testing.T) {
	t.Parallel()
	s := "ptr value"
	n := 42
	var nilStr *string
	id := cardID("c 1")
	pid := &id
	tests := []struct {
		name string
		tmpl string
		v    any
		want string
	}{
		{"string", "{v}", "a b", "a%20b"},
		{"empty string", "{?v}", "", "?v="},
		{"bool true", "{v}", true, "true"},
		{"bool false", "{?v}", false, "?v=false"},
		{"int", "{v}", -30, "-30"},
		{"int8", "{v}", int8(-8), "-8"},
		{"int16", "{v}", int16(16), "16"},
		{"int32", "{v}", int32(32), "32"},
		{"int64", "{v}", int64(1900000109), "1900000109"},
		{"uint", "{v}", uint(7), "7"},
		{"uint8", "{v}", uint8(255), "255"},
		{"uint16", "{v}", uint16(16), "16"},
		{"uint32", "{v}", uint32(32), "32"},
		{"uint64", "{v}", uint64(math.MaxUint64), "18446744073709551615"},
		{"uintptr", "{v}", uintptr(9), "9"},
		{"int prefix", "{v:3}", 123456, "123"},
		{"float64 whole", "{v}", 30.0, "30"},
		{"float64 fraction", "{v}", 1.5, "1.5"},
		{"float64 negative", "{?v}", -122.427, "?v=-122.427"},
		{"float64 large, no exponent", "{v}", 1e21, "1000000000000000000000"},
		{"float64 small, no exponent", "{v}", 0.000001, "0.000001"},
		{"float32", "{v}", float32(37.76), "37.76"},
		{"json.Number", "{v}", json.Number("37.76"), "37.76"},
		{"named string", "{v}", cardID("a/b"), "a%2Fb"},
		{"named int", "{v}", time.Month(3), "March"}, // fmt.Stringer wins
		{"Stringer", "{v}", status(1), "CLOSED"},
		{"Stringer on bytes", "{v}", net.IPv4(10, 0, 0, 1), "10.0.0.1"},
		{"pointer to string", "{v}", &s, "ptr%20value"},
		{"pointer to int", "{v}", &n, "42"},
		{"pointer to pointer to named", "{v}", &pid, "c%201"},
		{"nil pointer is undefined", "a{?v}", nilStr, "a"},
		{"nil Stringer pointer is undefined", "a{?v}", (*panicky)(nil), "a"},
		{"[]string", "{v}", []string{"a", "b c"}, "a,b%20c"},
		{"[]any", "{?v*}", []any{"a", 1, 1.5, true, nil}, "?v=a&v=1&v=1.5&v=true"},
		{"[]int", "{/v*}", []int{1, 2, 3}, "/1/2/3"},
		{"[]float64", "{v}", []float64{1.5, 30}, "1.5,30"},
		{"[]named", "{v}", []cardID{"x", "y"}, "x,y"},
		{"array", "{v}", [2]string{"x", "y"}, "x,y"},
		{"pointer to list", "{v}", &[]string{"x"}, "x"},
		{"list of only nils is undefined", "a{?v}", []any{nil, nil}, "a"},
		{"empty list is undefined", "a{?v}", []string{}, "a"},
		{"nil list is undefined", "a{?v}", []string(nil), "a"},
		{"empty map is undefined", "a{?v*}", map[string]any{}, "a"},
		{"map of only nils is undefined", "a{?v*}", map[string]any{"k": nil}, "a"},
		{"map[string]string", "{?v*}", map[string]string{"b": "2", "a": "1"}, "?a=1&b=2"},
		{"map[string]any", "{?v*}", map[string]any{"b": 2, "a": "", "c": nil}, "?a=&b=2"},
		{"map[string]int", "{;v*}", map[string]int{"b": 2, "a": 1}, ";a=1;b=2"},
		{"map with named keys", "{v}", map[cardID]string{"k": "v"}, "k,v"},
		{"map named, unexploded", "{?v}", map[string]string{"b": "2", "a": "1"}, "?v=a,1,b,2"},
		{"map explode, empty value, named", "{;v*}", map[string]string{"a": ""}, ";a"},
		{"map explode, empty value, unnamed", "{v*}", map[string]string{"a": ""}, "a="},
		{"list explode, empty member", "{?v*}", []string{"", "x"}, "?v=&v=x"},
		{"list explode, empty member, ;", "{;v*}", []string{"", "x"}, ";v;v=x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := MustParse(tt.tmpl).Expand(map[string]any{"v": tt.v})
			if err != nil {
				t.Fatalf("Expand: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Expand(%q) mismatch (-want +got):\n%s", tt.tmpl, diff)
			}
		})
	}
}

type loop *loop

// TestExpandErrors checks every expansion error message: it names the
// variable and the Go type, never the value.
func TestExpandErrors(t *testing.T) {
	t.Parallel()
	var l loop
	l = &l
	tests := []struct {
		name string
		tmpl string
		v    any
		want string
	}{
		{"struct", "{v}", struct{ A int }{1},
			`wechatpay: template error: variable "v": unsupported type struct { A int } (want a string, bool, number, fmt.Stringer, or a list or map of those) in "{v}"`},
		{"chan", "{v}", make(chan int),
			`wechatpay: template error: variable "v": unsupported type chan int (want a string, bool, number, fmt.Stringer, or a list or map of those) in "{v}"`},
		{"func", "{v}", func() {},
			`wechatpay: template error: variable "v": unsupported type func() (want a string, bool, number, fmt.Stringer, or a list or map of those) in "{v}"`},
		{"error value", "{v}", errors.New("secret-value"),
			`wechatpay: template error: variable "v": unsupported type *errors.errorString (want a string, bool, number, fmt.Stringer, or a list or map of those) in "{v}"`},
		{"complex", "{v}", complex(1, 2),
			`wechatpay: template error: variable "v": unsupported type complex128 (want a string, bool, number, fmt.Stringer, or a list or map of those) in "{v}"`},
		{"bytes", "{v}", []byte("secret-value"),
			`wechatpay: template error: variable "v": unsupported type []uint8: convert bytes to a string in "{v}"`},
		{"map with int keys", "{v}", map[int]string{1: "secret-value"},
			`wechatpay: template error: variable "v": unsupported type map[int]string: map keys must be strings in "{v}"`},
		{"nested list", "{v}", []any{"a", []string{"secret-value"}},
			`wechatpay: template error: variable "v": member of type []string is not a scalar: lists and maps do not nest in "{v}"`},
		{"list of structs", "{v}", []struct{}{{}},
			`wechatpay: template error: variable "v": unsupported type struct {} (want a string, bool, number, fmt.Stringer, or a list or map of those) in "{v}"`},
		{"list in map", "{v*}", map[string]any{"k": []any{"secret-value"}},
			`wechatpay: template error: variable "v": key "k": member of type []interface {} is not a scalar: lists and maps do not nest in "{v*}"`},
		{"prefix on list", "{v:1}", []string{"secret-value"},
			`wechatpay: template error: variable "v": prefix modifier :1 cannot apply to a list (RFC 6570 section 2.4.1) in "{v:1}"`},
		{"prefix on empty list", "{v:1}", []string{},
			`wechatpay: template error: variable "v": prefix modifier :1 cannot apply to a list (RFC 6570 section 2.4.1) in "{v:1}"`},
		{"prefix on map", "{+v:2}", map[string]string{"k": "secret-value"},
			`wechatpay: template error: variable "v": prefix modifier :2 cannot apply to an associative array (RFC 6570 section 2.4.1) in "{+v:2}"`},
		{"NaN", "{v}", math.NaN(),
			`wechatpay: template error: variable "v": float value is not finite in "{v}"`},
		{"Inf in list", "{v}", []float64{math.Inf(1)},
			`wechatpay: template error: variable "v": float value is not finite in "{v}"`},
		{"panicking Stringer", "{v}", &panicky{},
			`wechatpay: template error: variable "v": String method of *template.panicky panicked in "{v}"`},
		{"pointer loop", "{v}", l,
			`wechatpay: template error: variable "v": type template.loop: too many pointer indirections in "{v}"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := MustParse(tt.tmpl).Expand(map[string]any{"v": tt.v})
			if err == nil {
				t.Fatalf("Expand = %q, want an error", got)
			}
			if got != "" {
				t.Errorf("Expand returned %q along with the error", got)
			}
			if !errors.Is(err, ErrTemplate) {
				t.Errorf("errors.Is(%v, ErrTemplate) = false", err)
			}
			var te *Error
			if !errors.As(err, &te) {
				t.Fatalf("error %T is not a *Error", err)
			}
			if diff := cmp.Diff(&Error{Template: tt.tmpl, Offset: -1, Var: "v", Reason: te.Reason}, te); diff != "" {
				t.Errorf("*Error fields (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.want, err.Error()); diff != "" {
				t.Errorf("message (-want +got):\n%s", diff)
			}
		})
	}
}
