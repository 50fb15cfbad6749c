package main

import (
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/wechatpay-chain/wechatpay/middleware"
)

// verboseMiddleware prints each attempt's request line and headers and the
// answer's status and headers to w, as they go over the wire. The
// Authorization value is never printed: only its scheme.
func verboseMiddleware(w io.Writer) middleware.Middleware {
	var mu sync.Mutex
	return func(next http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(req *http.Request) (*http.Response, error) {
			mu.Lock()
			fmt.Fprintf(w, "> %s %s\n", req.Method, req.URL.RequestURI())
			fmt.Fprintf(w, "> Host: %s\n", req.URL.Host)
			writeHeaders(w, "> ", req.Header)
			mu.Unlock()
			resp, err := next.RoundTrip(req)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				fmt.Fprintf(w, "< (no answer: %v)\n", err)
				return resp, err
			}
			fmt.Fprintf(w, "< HTTP %s\n", statusText(resp.StatusCode))
			writeHeaders(w, "< ", resp.Header)
			fmt.Fprintln(w, "<")
			return resp, nil
		})
	}
}

// writeHeaders prints h sorted, one line each, Authorization redacted.
func writeHeaders(w io.Writer, prefix string, h http.Header) {
	for _, k := range slices.Sorted(maps.Keys(h)) {
		for _, v := range h[k] {
			if http.CanonicalHeaderKey(k) == "Authorization" {
				scheme, _, _ := strings.Cut(v, " ")
				v = scheme + " <redacted>"
			}
			fmt.Fprintf(w, "%s%s: %s\n", prefix, k, v)
		}
	}
}

// roundTripFunc adapts a function to http.RoundTripper.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
