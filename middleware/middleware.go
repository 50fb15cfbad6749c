package middleware

import "net/http"

// Middleware wraps an http.RoundTripper: given the next RoundTripper in the
// chain (closer to the network) it returns the RoundTripper that runs in its
// place. A Middleware is called once each time a [Stack] is edited, never per
// request, so it may do setup work; the RoundTripper it returns must be safe
// for concurrent use and must not return nil.
type Middleware func(next http.RoundTripper) http.RoundTripper
