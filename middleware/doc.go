// Package middleware holds the named, ordered http.RoundTripper stack every
// wechatpay client sends its requests through, and the middlewares that sign
// requests and verify answers.
//
// A [Middleware] is func(next http.RoundTripper) http.RoundTripper. A
// [Stack] is itself an http.RoundTripper: a list of named middlewares around
// a base transport, entry 0 outermost. Place entries by name with
// [Stack.Push], [Stack.Unshift], [Stack.Before] and [Stack.After]; change
// them with [Stack.Replace] and [Stack.Remove]; read the order with
// [Stack.List]. Editing a stack while requests are in flight is safe: each
// edit publishes a freshly composed chain and a request keeps the chain it
// started with.
//
// A client's stack holds "log", "signer" and "verifier" by default (see
// architecture: everything that touches the wire is a named entry).
// Middlewares
// placed before "signer" see the unsigned request; middlewares after
// "verifier" see the signed request as it goes on the wire and the raw,
// not yet verified answer.//
// APIv2 calls travel the same stack: the client marks them with
// [WithAPIv2], and the "signer" and "verifier" entries are built with
// [ByAPIVersion], which sends them through [NewAPIv2Signer] (XML sign,
// fresh nonce_str per attempt) and [NewAPIv2Verifier] (safe XML, sign
// checked by length) instead of the APIv3 middlewares.
package middleware
