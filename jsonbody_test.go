package wechatpay

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestMarshalJSON(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name string
		in   any
		want string
	}{
		{"map keys sorted", M{"b": 1, "a": "x"}, `{"a":"x","b":1}`},
		{"no HTML escaping", M{"q": "<a&b>"}, `{"q":"<a&b>"}`},
		{"no trailing newline", "s", `"s"`},
		{"unicode kept", M{"name": "张三"}, `{"name":"张三"}`},
		{"nested", M{"amount": M{"total": 100}}, `{"amount":{"total":100}}`},
	} {
		got, err := marshalJSON(c.in)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if diff := cmp.Diff(c.want, string(got)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", c.name, diff)
		}
	}
}

func TestMarshalJSONError(t *testing.T) {
	t.Parallel()
	_, err := marshalJSON(M{"f": func() {}})
	if !errors.Is(err, ErrTemplate) || !strings.Contains(err.Error(), `option "json"`) {
		t.Fatalf("err = %v, want an ErrTemplate naming the json option", err)
	}
	// A failed encode leaves nothing behind for the next caller.
	got, err := marshalJSON(M{"ok": true})
	if err != nil || string(got) != `{"ok":true}` {
		t.Fatalf("after an error: %s, %v", got, err)
	}
}

// TestMarshalJSONResultsIndependent: results of earlier calls, from any
// goroutine, keep their bytes while the pooled buffers are reused.
func TestMarshalJSONResultsIndependent(t *testing.T) {
	t.Parallel()
	const n = 64
	results := make([][]byte, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			b, err := marshalJSON(M{"i": i, "pad": strings.Repeat("x", i*100)})
			if err != nil {
				t.Error(err)
			}
			results[i] = b
		})
	}
	wg.Wait()
	big, err := marshalJSON(M{"big": strings.Repeat("y", 2*maxPooledJSON)})
	if err != nil || len(big) < 2*maxPooledJSON {
		t.Fatalf("big body: %d bytes, %v", len(big), err)
	}
	for i, b := range results {
		want := fmt.Sprintf(`{"i":%d,"pad":"%s"}`, i, strings.Repeat("x", i*100))
		if string(b) != want {
			t.Errorf("result %d changed: %.40s…", i, b)
		}
	}
}

// referenceJSON is what encoding/json writes: the output marshalJSON must
// reproduce byte for byte.
func referenceJSON(t testing.TB, v any) string {
	t.Helper()
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatalf("encoding/json: %v", err)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

type marshalerValue struct{}

func (marshalerValue) MarshalJSON() ([]byte, error) { return []byte(`{ "z" : 1 }`), nil }

// TestMarshalJSONMatchesEncodingJSON compares the M fast path with
// encoding/json on keys and values that need every kind of escaping, and
// on the types it hands over to encoding/json.
func TestMarshalJSONMatchesEncodingJSON(t *testing.T) {
	t.Parallel()
	tricky := []string{"", "plain", `q"uote`, `back\slash`, "\b\f\n\r\t", "\x00\x01\x1f\x7f", "<script>&</script>",
		"\u2028\u2029", "张三 微信支付", "\xff\xfe invalid", "a\xc3", "😀 four bytes", "/slash"}
	for i, s := range tricky {
		v := M{s: s, "k" + s: M{s: []any{s, 1, 2.5, nil, true}}, "n": i}
		if got, want := mustMarshal(t, v), referenceJSON(t, v); got != want {
			t.Errorf("%q:\n got %s\nwant %s", s, got, want)
		}
	}
	for _, v := range []any{
		M{}, M{"nil map": M(nil)}, map[string]any(nil),
		M{"struct": struct {
			A string `json:"a"`
			B int    `json:"b,omitempty"`
		}{A: "x"}},
		M{"marshaler": marshalerValue{}, "raw": json.RawMessage(`[1, 2]`)},
		M{"floats": []any{1e21, 1e-7, 0.1, math.Copysign(0, -1)}, "uint": uint64(1 << 63)},
		M{"map[string]string": map[string]string{"b": "1", "a": "2"}},
		M{"a": M{"b": M{"c": M{"d": M{"e": "deep"}}}}},
		[]any{M{"in": "a list"}},
		M{"17 keys": M{"a": 1, "b": 2, "c": 3, "d": 4, "e": 5, "f": 6, "g": 7, "h": 8, "i": 9, "j": 10, "k": 11, "l": 12, "m": 13, "n": 14, "o": 15, "p": 16, "q": 17}},
	} {
		if got, want := mustMarshal(t, v), referenceJSON(t, v); got != want {
			t.Errorf("%#v:\n got %s\nwant %s", v, got, want)
		}
	}
}

// TestMarshalJSONDeepAndCyclic: nesting past the fast path's depth is
// still encoded, and a map that contains itself is an error, not a crash.
func TestMarshalJSONDeepAndCyclic(t *testing.T) {
	t.Parallel()
	deep := M{"leaf": true}
	for range 3 * maxMapDepth {
		deep = M{"x": deep}
	}
	if got, want := mustMarshal(t, deep), referenceJSON(t, deep); got != want {
		t.Errorf("deep nesting differs from encoding/json")
	}
	cyclic := M{}
	cyclic["self"] = cyclic
	if _, err := marshalJSON(cyclic); !errors.Is(err, ErrTemplate) {
		t.Errorf("cyclic map: err = %v, want an ErrTemplate", err)
	}
}

func mustMarshal(t testing.TB, v any) string {
	t.Helper()
	b, err := marshalJSON(v)
	if err != nil {
		t.Fatalf("marshalJSON(%#v): %v", v, err)
	}
	return string(b)
}

// FuzzMarshalJSON compares marshalJSON with encoding/json on maps built
// from arbitrary keys and values.
func FuzzMarshalJSON(f *testing.F) {
	f.Add("out_trade_no", "1217752501201407033233368018", int64(30), 0.5, true)
	f.Add("\u2028", "\xff<>&\"\\", int64(-1), 1e300, false)
	f.Fuzz(func(t *testing.T, k, s string, n int64, x float64, b bool) {
		v := M{k: s, s: M{k: []any{n, b, s}}, "n": n, "b": b}
		if !math.IsInf(x, 0) && !math.IsNaN(x) {
			v["x"] = x
		}
		if got, want := mustMarshal(t, v), referenceJSON(t, v); got != want {
			t.Errorf("\n got %s\nwant %s", got, want)
		}
	})
}
