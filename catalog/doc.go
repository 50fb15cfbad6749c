// Package catalog is the embedded WeChat Pay endpoint catalog: every
// documented APIv3 and APIv2 endpoint (path, method, title, request and
// response fields with type, required flag, nesting and encryption, the
// official documentation links and status notices) and every callback
// event with the fields of its decrypted resource.
//
// [Lookup] finds an endpoint by method and path, [Search] by words of its
// path or title (Chinese or English), [All] lists them, [Suggest] names the
// nearest documented paths, [Webhook] and [Webhooks] describe callbacks.
// [Validate] checks a JSON request body against the documented fields; it
// has the signature of wechatpay.Config.Validator:
//
//	client, err := wechatpay.NewClient(wechatpay.Config{ /* … */ Validator: catalog.Validate})
//
// The data (about 120 KB gzipped) is linked only into programs that import
// this package and decoded on first use. It was generated from the
// community documentation site wechatpay-im/website (see [Origin] and
// data/README.md); the documentation lags behind the API now and then, so
// a check that fails on a field WeChat Pay accepts can be switched off by
// leaving Config.Validator nil.
//
// Everything here is safe for concurrent use. Endpoints, fields and
// webhooks are shared, read-only values: do not modify their slices.
package catalog

//go:generate go run ./internal/cmd/gencatalog -src ../../shared/catalog -out data/catalog.tsv.gz
