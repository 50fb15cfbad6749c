package middleware_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/wechatpay-chain/wechatpay/middleware"
)

// header returns a middleware that sets one request header.
func header(key, value string) middleware.Middleware {
	return func(next http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(req *http.Request) (*http.Response, error) {
			r := req.Clone(req.Context()) // a RoundTripper must not modify the caller's request
			r.Header.Add(key, value)
			return next.RoundTrip(r)
		})
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func ExampleStack() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Println("server saw:", r.Header.Values("X-Step"))
	}))
	defer srv.Close()

	stack := middleware.NewStack(nil) // over http.DefaultTransport
	_ = stack.Push("signer", header("X-Step", "signer"))
	_ = stack.Push("verifier", header("X-Step", "verifier"))
	_ = stack.Before("signer", "request-id", header("X-Step", "request-id"))
	if err := stack.After("nope", "x", header("X-Step", "x")); err != nil {
		fmt.Println("error:", err)
	}
	fmt.Println("order:", stack.List())

	client := &http.Client{Transport: stack}
	resp, err := client.Get(srv.URL)
	if err != nil {
		fmt.Println(err)
		return
	}
	_ = resp.Body.Close()
	fmt.Println(resp.Status)
	// Output:
	// error: middleware: unknown middleware "nope" (target of after "x")
	// order: [request-id signer verifier]
	// server saw: [request-id signer verifier]
	// 200 OK
}
