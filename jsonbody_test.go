package wechatpay

import (
	"errors"
	"fmt"
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
