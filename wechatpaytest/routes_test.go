package wechatpaytest

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// echoVars answers the route's vars, path and query.
func echoVars(tag string) Handler {
	return func(r *Request) Reply {
		return JSON(200, M{"tag": tag, "vars": r.Vars, "path": r.Path, "query": r.Query})
	}
}

type echoed struct {
	Tag   string              `json:"tag"`
	Vars  map[string]string   `json:"vars"`
	Path  string              `json:"path"`
	Query map[string][]string `json:"query"`
}

func decodeEcho(t *testing.T, a answer) echoed {
	t.Helper()
	var e echoed
	if err := json.Unmarshal(a.body, &e); err != nil {
		t.Fatalf("%d %s: %v", a.status, a.body, err)
	}
	return e
}

func TestHandleVars(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	s.Handle("GET", "v3/things/{id}/parts/{part}", echoVars("vars"))
	tests := []struct {
		path string
		want echoed
	}{
		{"v3/things/42/parts/a?x=1&x=2", echoed{"vars", map[string]string{"id": "42", "part": "a"}, "v3/things/42/parts/a", map[string][]string{"x": {"1", "2"}}}},
		{"v3/things/A%20B/parts/%E4%BD%A0%E5%A5%BD", echoed{"vars", map[string]string{"id": "A B", "part": "你好"}, "v3/things/A%20B/parts/%E4%BD%A0%E5%A5%BD", map[string][]string{}}},
		{"v3/things/a%2Fb/parts/%3F", echoed{"vars", map[string]string{"id": "a/b", "part": "?"}, "v3/things/a%2Fb/parts/%3F", map[string][]string{}}},
	}
	for _, tc := range tests {
		a := call(t, s, "GET", tc.path, nil)
		mustVerify(t, s, a)
		if diff := cmp.Diff(tc.want, decodeEcho(t, a)); diff != "" {
			t.Errorf("GET %s (-want +got):\n%s", tc.path, diff)
		}
	}
	// A placeholder matches exactly one non-empty segment.
	for _, p := range []string{"v3/things//parts/a", "v3/things/1/2/parts/a", "v3/things/1/parts/a/"} {
		if a := call(t, s, "GET", p, nil); a.status != 404 || a.code() != "NOT_FOUND" {
			t.Errorf("GET %s: %d %s, want 404 NOT_FOUND", p, a.status, a.body)
		}
	}
}

func TestRoutePrecedence(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	// A user route overrides the built-in one.
	s.Handle("POST", RouteNativePrepay, func(r *Request) Reply { return JSON(201, M{"mine": true}) })
	if a := call(t, s, "POST", RouteNativePrepay, []byte(`{}`)); a.status != 201 || string(a.body) != `{"mine":true}` {
		t.Errorf("override: %d %s", a.status, a.body)
	}
	// nil removes it: the built-in answers again (and rejects the empty body).
	s.Handle("POST", RouteNativePrepay, nil)
	if a := call(t, s, "POST", RouteNativePrepay, []byte(`{}`)); a.status != 400 || a.code() != "PARAM_ERROR" {
		t.Errorf("after removal: %d %s", a.status, a.body)
	}
	// A literal segment beats a placeholder; same pattern replaces.
	s.Handle("GET", "v3/x/{a}/z", echoVars("var-first"))
	s.Handle("GET", "v3/{b}/y/z", echoVars("var-second"))
	s.Handle("GET", "v3/x/y/{c}", echoVars("literal"))
	if e := decodeEcho(t, call(t, s, "GET", "v3/x/y/z", nil)); e.Tag != "literal" {
		t.Errorf("most specific: got %q", e.Tag)
	}
	s.Handle("GET", "/v3/x/y/{c}", echoVars("replaced"))
	if e := decodeEcho(t, call(t, s, "GET", "v3/x/y/z", nil)); e.Tag != "replaced" {
		t.Errorf("replacement: got %q", e.Tag)
	}
	// Any method.
	s.Handle("*", "v3/any", echoVars("any"))
	for _, m := range []string{"GET", "DELETE", "PATCH"} {
		if e := decodeEcho(t, call(t, s, m, "v3/any", nil)); e.Tag != "any" {
			t.Errorf("%s v3/any: %q", m, e.Tag)
		}
	}
}

func TestNotFoundAndMethodNotAllowed(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	s.Handle("PUT", RouteNativePrepay, echoVars("put"))
	tests := []struct {
		method, path string
		status       int
		code, allow  string
	}{
		{"GET", "v3/no/such/thing", 404, "NOT_FOUND", ""},
		{"GET", RouteNativePrepay, 405, "METHOD_NOT_ALLOWED", "POST, PUT"},
		{"DELETE", "v3/refund/domestic/refunds", 405, "METHOD_NOT_ALLOWED", "POST"},
	}
	for _, tc := range tests {
		a := call(t, s, tc.method, tc.path, nil)
		mustVerify(t, s, a)
		if a.status != tc.status || a.code() != tc.code || a.header.Get("Allow") != tc.allow {
			t.Errorf("%s %s: %d %s Allow=%q", tc.method, tc.path, a.status, a.body, a.header.Get("Allow"))
		}
		if a.header.Get("Content-Type") != "application/json" {
			t.Errorf("%s %s: Content-Type %q", tc.method, tc.path, a.header.Get("Content-Type"))
		}
	}
	// Authentication comes before routing: an unsigned request to an
	// unknown route is told about its signature first.
	req := newRequest(t, s, "GET", "v3/no/such/thing", nil)
	if a := send(t, req); a.status != 401 {
		t.Errorf("unsigned request to an unknown route: %d", a.status)
	}
}

func TestHandlerReplies(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	s.Handle("GET", "v3/raw", func(*Request) Reply { return Raw(200, "text/csv", []byte("a,b\n1,2\n")) })
	s.Handle("GET", "v3/unsigned", func(*Request) Reply {
		r := Raw(200, "application/octet-stream", []byte{1, 2, 3})
		r.Unsigned = true
		return r
	})
	s.Handle("GET", "v3/fail", func(*Request) Reply {
		return FailDetail(400, "PARAM_ERROR", "bad <thing>", M{"field": "x"})
	})
	s.Handle("GET", "v3/panic", func(*Request) Reply { panic("kaboom") })
	s.Handle("GET", "v3/zero", func(*Request) Reply { return Reply{} })
	s.Handle("GET", "v3/badjson", func(*Request) Reply { return JSON(200, M{"f": func() {}}) })
	s.Handle("POST", "v3/decode", func(r *Request) Reply {
		var v struct{ N int }
		if err := r.DecodeJSON(&v); err != nil {
			return Fail(400, "PARAM_ERROR", err.Error())
		}
		return JSON(200, M{"n": v.N + 1, "ctx": r.Context() != nil})
	})
	tests := []struct {
		method, path, body string
		status             int
		ctype, wantBody    string
		signed             bool
	}{
		{"GET", "v3/raw", "", 200, "text/csv", "a,b\n1,2\n", true},
		{"GET", "v3/unsigned", "", 200, "application/octet-stream", "\x01\x02\x03", false},
		{"GET", "v3/fail", "", 400, "application/json", `{"code":"PARAM_ERROR","message":"bad <thing>","detail":{"field":"x"}}`, true},
		{"GET", "v3/panic", "", 500, "application/json", `{"code":"SYSTEM_ERROR","message":"handler for /v3/panic panicked: kaboom"}`, true},
		{"GET", "v3/zero", "", 204, "", "", true},
		{"POST", "v3/decode", `{"N":41}`, 200, "application/json", `{"ctx":true,"n":42}`, true},
		{"POST", "v3/decode", `nope`, 400, "application/json", "", true},
	}
	for _, tc := range tests {
		var body []byte
		if tc.body != "" {
			body = []byte(tc.body)
		}
		a := call(t, s, tc.method, tc.path, body)
		if a.status != tc.status || a.header.Get("Content-Type") != tc.ctype || (tc.wantBody != "" && string(a.body) != tc.wantBody) {
			t.Errorf("%s %s: %d %q %q", tc.method, tc.path, a.status, a.header.Get("Content-Type"), a.body)
		}
		if tc.signed {
			mustVerify(t, s, a)
		} else if a.header.Get(HeaderSignature) != "" {
			t.Errorf("%s: unsigned reply was signed", tc.path)
		}
	}
	if a := call(t, s, "GET", "v3/badjson", nil); a.status != 500 || a.code() != "SYSTEM_ERROR" {
		t.Errorf("unencodable reply: %d %s", a.status, a.body)
	}
}

func TestBasePath(t *testing.T) {
	t.Parallel()
	s := newServer(t, WithBasePath("/hk/"))
	if !strings.HasSuffix(s.URL, "/hk/") || !strings.HasPrefix(s.URL, "http://127.0.0.1:") {
		t.Fatalf("URL %q", s.URL)
	}
	// The signed target includes the base path.
	a := call(t, s, "POST", RouteNativePrepay, mustJSON(t, nativeOrder(s, "hk-1")))
	if a.status != 200 {
		t.Fatalf("%d %s", a.status, a.body)
	}
	mustVerify(t, s, a)
	if got := s.Requests()[0].RequestURI; got != "/hk/v3/pay/transactions/native" {
		t.Errorf("RequestURI %q", got)
	}
	// Signing the path without the base path fails.
	body := mustJSON(t, nativeOrder(s, "hk-2"))
	req := newRequest(t, s, "POST", RouteNativePrepay, body)
	req.Header.Set("Authorization", credsFor(s).authorization("POST", "/"+RouteNativePrepay, body))
	if a := send(t, req); a.status != 401 {
		t.Errorf("signature without the base path: %d", a.status)
	}
	// Outside the base path: 404, signed.
	root := strings.TrimSuffix(s.URL, "hk/")
	req, err := http.NewRequest("GET", root+"v3/certificates", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", credsFor(s).authorization("GET", "/v3/certificates", nil))
	a = send(t, req)
	if a.status != 404 || a.code() != "NOT_FOUND" || !strings.Contains(a.message(), "/hk/") {
		t.Errorf("outside the base path: %d %s", a.status, a.body)
	}
	mustVerify(t, s, a)
}

func TestRequestsAndReset(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	call(t, s, "GET", "v3/certificates?a=%20b", nil)
	send(t, newRequest(t, s, "POST", "v3/x", []byte(`{"k":1}`)))
	recs := s.Requests()
	if len(recs) != 2 {
		t.Fatalf("%d records", len(recs))
	}
	got := []RecordedRequest{recs[0], recs[1]}
	for i := range got {
		if got[i].Header.Get("Accept") != "application/json" || got[i].RequestID == "" || got[i].Time.IsZero() {
			t.Errorf("record %d: %+v", i, got[i])
		}
		got[i].Header, got[i].RequestID = nil, ""
	}
	want := []RecordedRequest{
		{Method: "GET", RequestURI: "/v3/certificates?a=%20b", Body: []byte{}, Authorized: true, Status: 404},
		{Method: "POST", RequestURI: "/v3/x", Body: []byte(`{"k":1}`), AuthFailure: "missing Authorization header", Status: 401},
	}
	if diff := cmp.Diff(want, got, cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".Time" }, cmp.Ignore())); diff != "" {
		t.Errorf("Requests() (-want +got):\n%s", diff)
	}
	// Requests returns copies.
	recs[1].Body[0] = 'X'
	if s.Requests()[1].Body[0] != '{' {
		t.Error("Requests shares the recorded body")
	}
	if recs[0].RequestID == recs[1].RequestID {
		t.Error("Request-IDs repeat")
	}
	s.Reset()
	if n := len(s.Requests()); n != 0 {
		t.Errorf("%d records after Reset", n)
	}
}

// TestConcurrentUse sends requests from several goroutines while routes and
// faults change; run with -race.
func TestConcurrentUse(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for g := range 8 {
		wg.Go(func() {
			for i := range 6 {
				a, err := tryCall(s, "GET", "v3/pay/transactions/out-trade-no/none?mchid=1230000109", nil)
				if err != nil {
					errs <- err.Error()
					continue
				}
				if a.status != 404 && a.status != 503 && a.status != 200 {
					errs <- string(a.body)
				}
				if err := verifyAnswer(a.header, a.body, s.PlatformSerial(), s.PlatformKey(), s.now()); err != nil {
					errs <- err.Error()
				}
				switch (g + i) % 3 {
				case 0:
					s.Fault("GET", RouteQueryByOutTradeNo, Fault{Status: 503, Times: 1})
				case 1:
					s.Handle("GET", RouteQueryByOutTradeNo, echoVars("c"))
				default:
					s.Handle("GET", RouteQueryByOutTradeNo, nil)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	if n := len(s.Requests()); n != 48 {
		t.Errorf("%d requests recorded, want 48", n)
	}
}
