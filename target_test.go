package wechatpay

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const seedTemplate = "v3/marketing/membercard-open/cards/{card_id}/codes/{code}/bonus/prepare"

func testChain(t testing.TB, parts ...string) *Chain {
	t.Helper()
	ch := (&Client{baseURL: "https://api.mch.weixin.qq.com/"}).Chain(parts...)
	if err := ch.Err(); err != nil {
		t.Fatalf("Chain(%q): %v", parts, err)
	}
	return ch
}

func TestTargetExpansion(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		template string
		opts     Options
		want     string
	}{
		{"seed", seedTemplate, Options{"card_id": "478515832665", "code": "478515832665", "json": M{"a": 1}},
			"v3/marketing/membercard-open/cards/478515832665/codes/478515832665/bonus/prepare"},
		{"slash encoded into one segment", "v3/x/{id}", Options{"id": "a/b"}, "v3/x/a%2Fb"},
		{"question mark encoded", "v3/x/{id}", Options{"id": "a?b=c"}, "v3/x/a%3Fb%3Dc"},
		{"hash encoded", "v3/x/{id}", Options{"id": "a#b"}, "v3/x/a%23b"},
		{"percent encoded", "v3/x/{id}", Options{"id": "100%"}, "v3/x/100%25"},
		{"space encoded", "v3/x/{id}", Options{"id": "a b"}, "v3/x/a%20b"},
		{"unicode utf-8 encoded", "v3/x/{id}", Options{"id": "微信"}, "v3/x/%E5%BE%AE%E4%BF%A1"},
		{"encoded dots are not dot segments once escaped", "v3/x/{id}", Options{"id": "%2e%2e"}, "v3/x/%252e%252e"},
		{"three dots is a name", "v3/x/{id}", Options{"id": "..."}, "v3/x/..."},
		{"integer", "v3/x/{id}", Options{"id": 42}, "v3/x/42"},
		{"template query", "v3/x/{id}{?limit}", Options{"id": "1", "limit": 10}, "v3/x/1?limit=10"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := testChain(t, tt.template).target(tt.opts)
			if err != nil {
				t.Fatalf("target: %v", err)
			}
			if got != tt.want {
				t.Errorf("target = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestTargetStrictness(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		template string
		opts     Options
		wantIn   string // the error must name the offending key or value
	}{
		{"missing variable", seedTemplate, Options{"card_id": "1"}, `"code"`},
		{"nil variable", seedTemplate, Options{"card_id": "1", "code": nil}, `"code"`},
		{"unknown key", seedTemplate, Options{"card_id": "1", "code": "2", "josn": M{}}, `"josn"`},
		{"unsupported type", "v3/x/{id}", Options{"id": struct{}{}}, "id"},
		{"dot", "v3/x/{id}", Options{"id": "."}, `"."`},
		{"dot dot", "v3/x/{id}", Options{"id": ".."}, `".."`},
		{"reserved encoded dot", "v3/x/{+id}", Options{"id": "%2e"}, `"%2e"`},
		{"reserved encoded dot dot", "v3/x/{+id}", Options{"id": "%2E%2E"}, `"%2E%2E"`},
		{"reserved mixed dot", "v3/x/{+id}", Options{"id": ".%2e"}, `".%2e"`},
		{"reserved slash traversal", "v3/x/{+id}", Options{"id": "../../v2"}, `".."`},
		{"reserved encoded slash traversal", "v3/x/{+id}", Options{"id": "..%2Fpay"}, `"..%2Fpay"`},
		{"reserved encoded backslash traversal", "v3/x/{+id}", Options{"id": "..%5Cpay"}, `"..%5Cpay"`},
		{"empty value gives empty segment", seedTemplate, Options{"card_id": "", "code": "2"}, "empty segment"},
		{"query wrong type", "v3/x", Options{"query": 12}, `"query"`},
		{"query bad element", "v3/x", Options{"query": map[string]any{"a": M{}}}, `"a"`},
		{"body wrong type", "v3/x", Options{"body": 12}, `"body"`},
		{"json and body", "v3/x", Options{"json": M{}, "body": "x"}, `exclusive`},
		{"headers wrong type", "v3/x", Options{"headers": 12}, `"headers"`},
		{"authorization header", "v3/x", Options{"headers": map[string]string{"authorization": "x"}}, "Authorization"},
		{"retry wrong type", "v3/x", Options{"retry": "yes"}, `"retry"`},
		{"unmarshalable json", "v3/x", Options{"json": make(chan int)}, `"json"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := testChain(t, tt.template).prepare("POST", tt.opts)
			if !errors.Is(err, ErrTemplate) {
				t.Fatalf("prepare = %v, want an error wrapping ErrTemplate", err)
			}
			if !strings.Contains(err.Error(), tt.wantIn) {
				t.Errorf("error %q does not name %s", err, tt.wantIn)
			}
		})
	}
}

func TestPrepareRejectsBodyOnGet(t *testing.T) {
	t.Parallel()
	_, err := testChain(t, "v3/x").prepare("GET", Options{"json": M{"a": 1}})
	if !errors.Is(err, ErrTemplate) {
		t.Fatalf("GET with a JSON body: err = %v, want ErrTemplate", err)
	}
	if _, err := testChain(t, "v3/x").prepare("TRACE", nil); !errors.Is(err, ErrTemplate) {
		t.Fatalf("TRACE: err = %v, want ErrTemplate", err)
	}
}

func TestPrepareRequest(t *testing.T) {
	t.Parallel()
	ch := testChain(t, "v3/x/{id}")
	req, err := ch.prepare("post", Options{
		"id":      "a b",
		"json":    M{"html": "<a&b>", "n": 30},
		"query":   map[string]any{"z": "1", "a": []any{"x y", 2}, "m": true},
		"headers": map[string]string{"Wechatpay-Serial": "PUB_KEY_ID_1"},
		"retry":   true,
	})
	if err != nil {
		t.Fatal(err)
	}
	got := struct {
		Method, URL, Path, Body, ContentType, Serial string
		Retry                                        bool
	}{req.method, req.url, req.path, string(req.body), req.header.Get("Content-Type"), req.header.Get("Wechatpay-Serial"), req.retry}
	want := struct {
		Method, URL, Path, Body, ContentType, Serial string
		Retry                                        bool
	}{"POST", "https://api.mch.weixin.qq.com/v3/x/a%20b?a=x+y&a=2&m=true&z=1", "v3/x/a%20b",
		`{"html":"<a&b>","n":30}`, "application/json", "PUB_KEY_ID_1", true}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("prepared request mismatch (-want +got):\n%s", diff)
	}
}

func TestQueryEncodingsAgree(t *testing.T) {
	t.Parallel()
	values := url.Values{"b": {"2 3"}, "a": {"x&y", "z"}}
	fromValues, err := encodeQuery(values)
	if err != nil {
		t.Fatal(err)
	}
	fromAny, err := encodeQuery(map[string]any{"b": "2 3", "a": []string{"x&y", "z"}})
	if err != nil {
		t.Fatal(err)
	}
	fromStrings, err := encodeQuery(map[string]string{"b": "2 3", "a": "x&y"})
	if err != nil {
		t.Fatal(err)
	}
	if want := "a=x%26y&a=z&b=2+3"; fromValues != want || fromAny != want {
		t.Errorf("url.Values -> %q, map[string]any -> %q, want both %q", fromValues, fromAny, want)
	}
	if want := "a=x%26y&b=2+3"; fromStrings != want {
		t.Errorf("map[string]string -> %q, want %q", fromStrings, want)
	}
}

func TestHeadersOptionCopies(t *testing.T) {
	t.Parallel()
	in := http.Header{"X-Trace": {"1", "2"}}
	h, err := encodeHeaders(in)
	if err != nil {
		t.Fatal(err)
	}
	h.Set("X-Trace", "changed")
	if diff := cmp.Diff(http.Header{"X-Trace": {"1", "2"}}, in); diff != "" {
		t.Errorf("caller's header map was modified (-want +got):\n%s", diff)
	}
}

// TestChainSharedAcrossGoroutines checks that one chain serves concurrent
// expansions with independent, correct results (run under -race).
func TestChainSharedAcrossGoroutines(t *testing.T) {
	t.Parallel()
	ch := testChain(t, "v3", "marketing", "membercardOpen", "cards", "_card_id_", "codes", "_code_", "bonus", "prepare")
	const workers, rounds = 8, 200
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range rounds {
				card, code := fmt.Sprintf("card%d-%d", w, i), fmt.Sprintf("code/%d", i)
				got, err := ch.target(Options{"card_id": card, "code": code})
				want := "v3/marketing/membercard-open/cards/" + card + "/codes/code%2F" + fmt.Sprint(i) + "/bonus/prepare"
				if err != nil || got != want {
					errs <- fmt.Errorf("worker %d round %d: got %q, %v; want %q", w, i, got, err, want)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// BenchmarkExpandSeed measures turning the seed chain (already parsed) and
// its two variables into a checked target: strictness checks, RFC 6570
// expansion and the dot-segment check.
func BenchmarkExpandSeed(b *testing.B) {
	ch := testChain(b, seedTemplate)
	opts := Options{"card_id": "478515832665", "code": "478515832665"}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ch.target(opts); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkExpandSeedBaseline is the hand-written equivalent of
// BenchmarkExpandSeed without any checks: two url.PathEscape calls and a
// concatenation, for a side-by-side figure.
func BenchmarkExpandSeedBaseline(b *testing.B) {
	opts := Options{"card_id": "478515832665", "code": "478515832665"}
	b.ReportAllocs()
	for b.Loop() {
		card, _ := opts["card_id"].(string)
		code, _ := opts["code"].(string)
		s := "v3/marketing/membercard-open/cards/" + url.PathEscape(card) + "/codes/" + url.PathEscape(code) + "/bonus/prepare"
		if len(s) == 0 {
			b.Fatal("empty")
		}
	}
}
