package middleware

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.uber.org/goleak"
)

const (
	traceIn  = "X-Trace-In"  // names appended on the way in, echoed by the base
	traceOut = "X-Trace-Out" // names appended on the way out
)

// tracer is a middleware that appends name to the request's X-Trace-In on
// the way in and to the response's X-Trace-Out on the way out.
func tracer(name string) Middleware {
	return func(next http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(req *http.Request) (*http.Response, error) {
			r := req.Clone(req.Context())
			r.Header.Add(traceIn, name)
			resp, err := next.RoundTrip(r)
			if err != nil {
				return nil, err
			}
			resp.Header.Add(traceOut, name)
			return resp, nil
		})
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// echoBase answers every request with 200 and the request's X-Trace-In
// values copied into the response, without any network I/O.
var echoBase = roundTripFunc(func(req *http.Request) (*http.Response, error) {
	h := http.Header{}
	for _, v := range req.Header.Values(traceIn) {
		h.Add(traceIn, v)
	}
	h.Set("X-Base", "echo")
	return &http.Response{
		StatusCode: http.StatusOK,
		Header:     h,
		Body:       http.NoBody,
		Request:    req,
	}, nil
})

// trace sends one request through rt and returns the names seen on the way in
// and on the way out.
func trace(t *testing.T, rt http.RoundTripper) (in, out []string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, "http://example.invalid/", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := rt.RoundTrip(req)
	if err != nil {
		t.Fatalf("RoundTrip: %v", err)
	}
	defer resp.Body.Close()
	if got := resp.Header.Get("X-Base"); got != "echo" {
		t.Fatalf("response did not come from the base (X-Base=%q)", got)
	}
	if len(req.Header.Values(traceIn)) != 0 {
		t.Fatal("a middleware modified the caller's request")
	}
	return resp.Header.Values(traceIn), resp.Header.Values(traceOut)
}

// op is one edit of a stack, named after the method it calls.
type op func(s *Stack) error

func push(name string) op    { return func(s *Stack) error { return s.Push(name, tracer(name)) } }
func unshift(name string) op { return func(s *Stack) error { return s.Unshift(name, tracer(name)) } }
func before(target, name string) op {
	return func(s *Stack) error { return s.Before(target, name, tracer(name)) }
}
func after(target, name string) op {
	return func(s *Stack) error { return s.After(target, name, tracer(name)) }
}
func remove(name string) op { return func(s *Stack) error { return s.Remove(name) } }

// replace swaps name's middleware for a tracer that reports as "as".
func replace(name, as string) op {
	return func(s *Stack) error { return s.Replace(name, tracer(as)) }
}

func TestStackOrder(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		ops  []op
		want []string // List() and the inbound trace, outermost first
		// wantTrace, when set, is the inbound trace if it differs from want.
		wantTrace []string
	}{
		{name: "empty", ops: nil, want: []string{}},
		{name: "push appends innermost", ops: []op{push("a"), push("b"), push("c")}, want: []string{"a", "b", "c"}},
		{name: "unshift prepends outermost", ops: []op{unshift("a"), unshift("b"), unshift("c")}, want: []string{"c", "b", "a"}},
		{name: "before first", ops: []op{push("signer"), push("verifier"), before("signer", "x")}, want: []string{"x", "signer", "verifier"}},
		{name: "before last", ops: []op{push("signer"), push("verifier"), before("verifier", "x")}, want: []string{"signer", "x", "verifier"}},
		{name: "after first", ops: []op{push("signer"), push("verifier"), after("signer", "x")}, want: []string{"signer", "x", "verifier"}},
		{name: "after last", ops: []op{push("signer"), push("verifier"), after("verifier", "x")}, want: []string{"signer", "verifier", "x"}},
		{name: "remove middle", ops: []op{push("a"), push("b"), push("c"), remove("b")}, want: []string{"a", "c"}},
		{name: "remove all", ops: []op{push("a"), push("b"), remove("a"), remove("b")}, want: []string{}},
		{name: "remove then reuse name", ops: []op{push("a"), push("b"), remove("a"), push("a")}, want: []string{"b", "a"}},
		{
			name: "replace keeps position", ops: []op{push("a"), push("b"), push("c"), replace("b", "B")},
			want: []string{"a", "b", "c"}, wantTrace: []string{"a", "B", "c"},
		},
		{
			name: "mixed",
			ops: []op{
				push("signer"), push("verifier"), unshift("log"), before("signer", "request-id"),
				after("verifier", "wire"), remove("log"), before("wire", "retry"),
			},
			want: []string{"request-id", "signer", "verifier", "retry", "wire"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := NewStack(echoBase)
			for i, o := range tc.ops {
				if err := o(s); err != nil {
					t.Fatalf("op %d: %v", i, err)
				}
			}
			if diff := cmp.Diff(tc.want, s.List()); diff != "" {
				t.Errorf("List() mismatch (-want +got):\n%s", diff)
			}
			for _, name := range tc.want {
				if !s.Has(name) {
					t.Errorf("Has(%q) = false", name)
				}
			}
			if s.Has("absent") {
				t.Error(`Has("absent") = true`)
			}
			wantIn := tc.want
			if tc.wantTrace != nil {
				wantIn = tc.wantTrace
			}
			in, out := trace(t, s)
			if diff := cmp.Diff(wantIn, in, emptyEqualsNil()); diff != "" {
				t.Errorf("inbound order mismatch (-want +got):\n%s", diff)
			}
			wantOut := slices.Clone(wantIn)
			slices.Reverse(wantOut)
			if diff := cmp.Diff(wantOut, out, emptyEqualsNil()); diff != "" {
				t.Errorf("outbound order mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func emptyEqualsNil() cmp.Option {
	return cmp.FilterValues(func(a, b []string) bool { return len(a) == 0 && len(b) == 0 },
		cmp.Comparer(func(a, b []string) bool { return true }))
}

func TestStackEditErrors(t *testing.T) {
	t.Parallel()
	nilRT := Middleware(func(http.RoundTripper) http.RoundTripper { return nil })
	panicky := Middleware(func(http.RoundTripper) http.RoundTripper { panic("boom") })
	tests := []struct {
		name    string
		edit    func(s *Stack) error
		want    error
		mention string // the error text must name this
	}{
		{"push duplicate", func(s *Stack) error { return s.Push("a", tracer("a")) }, ErrDuplicateMiddleware, `"a"`},
		{"unshift duplicate", func(s *Stack) error { return s.Unshift("b", tracer("b")) }, ErrDuplicateMiddleware, `"b"`},
		{"before duplicate", func(s *Stack) error { return s.Before("b", "a", tracer("a")) }, ErrDuplicateMiddleware, `"a"`},
		{"after duplicate", func(s *Stack) error { return s.After("a", "b", tracer("b")) }, ErrDuplicateMiddleware, `"b"`},
		{"before unknown target", func(s *Stack) error { return s.Before("zz", "x", tracer("x")) }, ErrUnknownMiddleware, `"zz"`},
		{"after unknown target", func(s *Stack) error { return s.After("zz", "x", tracer("x")) }, ErrUnknownMiddleware, `"zz"`},
		{"remove unknown", func(s *Stack) error { return s.Remove("zz") }, ErrUnknownMiddleware, `"zz"`},
		{"replace unknown", func(s *Stack) error { return s.Replace("zz", tracer("zz")) }, ErrUnknownMiddleware, `"zz"`},
		{"push empty name", func(s *Stack) error { return s.Push("", tracer("x")) }, ErrInvalidMiddleware, "empty name"},
		{"unshift empty name", func(s *Stack) error { return s.Unshift("", tracer("x")) }, ErrInvalidMiddleware, "empty name"},
		{"before empty name", func(s *Stack) error { return s.Before("a", "", tracer("x")) }, ErrInvalidMiddleware, "empty name"},
		{"after empty name", func(s *Stack) error { return s.After("a", "", tracer("x")) }, ErrInvalidMiddleware, "empty name"},
		{"push nil", func(s *Stack) error { return s.Push("x", nil) }, ErrInvalidMiddleware, `"x"`},
		{"unshift nil", func(s *Stack) error { return s.Unshift("x", nil) }, ErrInvalidMiddleware, `"x"`},
		{"before nil", func(s *Stack) error { return s.Before("a", "x", nil) }, ErrInvalidMiddleware, `"x"`},
		{"after nil", func(s *Stack) error { return s.After("a", "x", nil) }, ErrInvalidMiddleware, `"x"`},
		{"replace nil", func(s *Stack) error { return s.Replace("a", nil) }, ErrInvalidMiddleware, `"a"`},
		{"push returns nil transport", func(s *Stack) error { return s.Push("x", nilRT) }, ErrInvalidMiddleware, `"x"`},
		{"replace returns nil transport", func(s *Stack) error { return s.Replace("b", nilRT) }, ErrInvalidMiddleware, `"b"`},
		{"push panics", func(s *Stack) error { return s.Push("x", panicky) }, ErrInvalidMiddleware, "boom"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := NewStack(echoBase)
			if err := s.Push("a", tracer("a")); err != nil {
				t.Fatal(err)
			}
			if err := s.Push("b", tracer("b")); err != nil {
				t.Fatal(err)
			}
			err := tc.edit(s)
			if !errors.Is(err, tc.want) {
				t.Fatalf("error = %v, want one matching %v", err, tc.want)
			}
			if !strings.Contains(err.Error(), tc.mention) {
				t.Errorf("error %q does not mention %s", err, tc.mention)
			}
			// A failed edit leaves the stack as it was.
			if diff := cmp.Diff([]string{"a", "b"}, s.List()); diff != "" {
				t.Errorf("List() after failed edit (-want +got):\n%s", diff)
			}
			in, _ := trace(t, s)
			if diff := cmp.Diff([]string{"a", "b"}, in); diff != "" {
				t.Errorf("chain after failed edit (-want +got):\n%s", diff)
			}
		})
	}
}

func TestZeroStackPassesThrough(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "hello "+r.URL.Path)
	}))
	defer srv.Close()

	var s Stack
	if got := s.List(); len(got) != 0 {
		t.Errorf("zero Stack List() = %q, want empty", got)
	}
	if s.Base() != http.DefaultTransport {
		t.Error("zero Stack Base() is not http.DefaultTransport")
	}
	if NewStack(nil).Base() != http.DefaultTransport {
		t.Error("NewStack(nil).Base() is not http.DefaultTransport")
	}
	client := &http.Client{Transport: &s}
	defer client.CloseIdleConnections()
	resp, err := client.Get(srv.URL + "/zero")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if string(body) != "hello /zero" {
		t.Errorf("body = %q, want %q", body, "hello /zero")
	}
	// The zero stack can be edited like any other.
	if err := s.Push("a", tracer("a")); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"a"}, s.List()); diff != "" {
		t.Errorf("List() (-want +got):\n%s", diff)
	}
}

func TestStackClone(t *testing.T) {
	t.Parallel()
	s := NewStack(echoBase)
	for _, n := range []string{"a", "b"} {
		if err := s.Push(n, tracer(n)); err != nil {
			t.Fatal(err)
		}
	}
	c := s.Clone()
	if err := c.Push("c", tracer("c")); err != nil {
		t.Fatal(err)
	}
	if err := s.Remove("a"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		s    *Stack
		want []string
	}{
		{"original", s, []string{"b"}},
		{"clone", c, []string{"a", "b", "c"}},
	} {
		if diff := cmp.Diff(tc.want, tc.s.List()); diff != "" {
			t.Errorf("%s List() (-want +got):\n%s", tc.name, diff)
		}
		in, _ := trace(t, tc.s)
		if diff := cmp.Diff(tc.want, in); diff != "" {
			t.Errorf("%s chain (-want +got):\n%s", tc.name, diff)
		}
	}
	// A clone of an unedited stack still uses the base.
	in, _ := trace(t, NewStack(echoBase).Clone())
	if len(in) != 0 {
		t.Errorf("clone of empty stack traced %q", in)
	}
}

// TestStackInFlightKeepsChain shows that a request keeps the chain it
// started with when the stack is edited while it is in flight.
func TestStackInFlightKeepsChain(t *testing.T) {
	t.Parallel()
	entered := make(chan struct{})
	release := make(chan struct{})
	blockingBase := roundTripFunc(func(req *http.Request) (*http.Response, error) {
		close(entered)
		<-release
		return echoBase(req)
	})
	s := NewStack(blockingBase)
	if err := s.Push("old", tracer("old")); err != nil {
		t.Fatal(err)
	}
	type result struct {
		in  []string
		err error
	}
	done := make(chan result)
	go func() {
		req, err := http.NewRequest(http.MethodGet, "http://example.invalid/", nil)
		if err != nil {
			done <- result{err: err}
			return
		}
		resp, err := s.RoundTrip(req)
		if err != nil {
			done <- result{err: err}
			return
		}
		_ = resp.Body.Close()
		done <- result{in: resp.Header.Values(traceIn)}
	}()
	<-entered
	if err := s.Replace("old", tracer("new")); err != nil {
		t.Fatal(err)
	}
	close(release)
	r := <-done
	if r.err != nil {
		t.Fatal(r.err)
	}
	if diff := cmp.Diff([]string{"old"}, r.in); diff != "" {
		t.Errorf("in-flight chain (-want +got):\n%s", diff)
	}
}

// TestStackConcurrentEdits edits the stack from one goroutine while 32
// goroutines send requests through it to a real server; run it with -race.
// Every request must succeed and see one of the chains the editor published,
// in the same order on the way in and (reversed) on the way out.
func TestStackConcurrentEdits(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())

	const (
		senders     = 32
		perSender   = 25
		maxEdits    = 200000 // a bound; the editor normally stops when the senders finish
		editorNames = 4
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, v := range r.Header.Values(traceIn) {
			w.Header().Add(traceIn, v)
		}
		w.Header().Set("X-Base", "echo")
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	transport := &http.Transport{MaxIdleConnsPerHost: senders}
	defer transport.CloseIdleConnections()

	s := NewStack(transport)
	if err := s.Push("signer", tracer("signer")); err != nil {
		t.Fatal(err)
	}
	if err := s.Push("verifier", tracer("verifier")); err != nil {
		t.Fatal(err)
	}

	var (
		mu        sync.Mutex
		published = map[string]bool{strings.Join(s.List(), ","): true}
	)
	snapshot := func() {
		key := strings.Join(s.List(), ",")
		mu.Lock()
		published[key] = true
		mu.Unlock()
	}

	stop := make(chan struct{})
	var edits atomic.Int64
	editorDone := make(chan error, 1)
	go func() {
		defer close(editorDone)
		names := []string{"e0", "e1", "e2", "e3"}[:editorNames]
		for i := 0; i < maxEdits; i++ {
			select {
			case <-stop:
				return
			default:
			}
			n := names[i%len(names)]
			var err error
			switch {
			case s.Has(n):
				err = s.Remove(n)
			case i%3 == 0:
				err = s.Before("signer", n, tracer(n))
			case i%3 == 1:
				err = s.After("signer", n, tracer(n))
			default:
				err = s.Push(n, tracer(n))
			}
			if err != nil {
				editorDone <- err
				return
			}
			edits.Add(1)
			snapshot()
		}
	}()

	type seen struct{ in, out []string }
	results := make(chan seen, senders*perSender)
	errs := make(chan error, senders*perSender)
	client := &http.Client{Transport: s}
	var wg sync.WaitGroup
	for g := 0; g < senders; g++ {
		wg.Go(func() {
			for i := 0; i < perSender; i++ {
				resp, err := client.Get(srv.URL)
				if err != nil {
					errs <- err
					continue
				}
				_ = resp.Body.Close()
				if resp.StatusCode != http.StatusNoContent || resp.Header.Get("X-Base") != "echo" {
					errs <- errors.New("unexpected answer " + resp.Status)
					continue
				}
				results <- seen{resp.Header.Values(traceIn), resp.Header.Values(traceOut)}
			}
		})
	}
	wg.Wait()
	close(stop)
	if err := <-editorDone; err != nil {
		t.Fatalf("editor: %v", err)
	}
	close(results)
	close(errs)
	for err := range errs {
		t.Errorf("request failed: %v", err)
	}

	n := 0
	observed := map[string]bool{}
	for r := range results {
		n++
		key := strings.Join(r.in, ",")
		observed[key] = true
		if !published[key] {
			t.Errorf("request saw chain %q, which was never published", key)
		}
		rev := slices.Clone(r.in)
		slices.Reverse(rev)
		if !slices.Equal(rev, r.out) {
			t.Errorf("inbound %q and outbound %q are not mirror images", r.in, r.out)
		}
	}
	if n != senders*perSender {
		t.Errorf("%d requests succeeded, want %d", n, senders*perSender)
	}
	if edits.Load() == 0 {
		t.Error("the editor made no edits")
	}
	t.Logf("%d requests, %d edits, %d distinct chains published, %d observed", n, edits.Load(), len(published), len(observed))
}

// passthrough is a middleware that does nothing but call next.
func passthrough(next http.RoundTripper) http.RoundTripper {
	return roundTripFunc(func(r *http.Request) (*http.Response, error) { return next.RoundTrip(r) })
}

// BenchmarkRoundTrip measures what the stack adds to a RoundTrip, against the
// same in-memory base called directly.
func BenchmarkRoundTrip(b *testing.B) {
	okResp := &http.Response{StatusCode: http.StatusOK, Body: http.NoBody, Header: http.Header{}}
	base := roundTripFunc(func(*http.Request) (*http.Response, error) { return okResp, nil })
	req, err := http.NewRequest(http.MethodGet, "http://example.invalid/", nil)
	if err != nil {
		b.Fatal(err)
	}
	stack := func(n int) *Stack {
		s := NewStack(base)
		for i := range n {
			if err := s.Push(string(rune('a'+i)), passthrough); err != nil {
				b.Fatal(err)
			}
		}
		return s
	}
	for _, bc := range []struct {
		name string
		rt   http.RoundTripper
	}{
		{"bare", base},
		{"stack-unedited", stack(0)},
		{"stack-edited-empty", func() *Stack {
			s := stack(1)
			if err := s.Remove("a"); err != nil {
				b.Fatal(err)
			}
			return s
		}()},
		{"stack-2-passthrough", stack(2)},
		{"stack-8-passthrough", stack(8)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := bc.rt.RoundTrip(req); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
