// Package bench compares this library with the raw net/http floor and the
// official SDK github.com/wechatpay-apiv3/wechatpay-go, side by side, in one
// benchmark binary against the same local signing and verifying server.
//
// It is its own module so that the library never depends on what it is
// compared with. Everything lives in the _test.go files; run.sh runs the
// suite and cmd/benchtable turns its output into the table in
// docs/benchmarks.md.
//
// The server (package wechatpaytest, which verifies and signs with its own
// standard-library code) runs in a child process started by TestMain, so
// that allocations, memory and CPU time measured here are the client's
// alone.
package bench
