package wechatpaytest_test

import (
	"context"
	"crypto/rsa"
	"crypto/sha1"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/wechatpay-chain/wechatpay"
	"github.com/wechatpay-chain/wechatpay/catalog"
	"github.com/wechatpay-chain/wechatpay/wechatpaytest"
)

// builtinRoutes are the hand-written routes; they answer instead of the
// catalog (and have tests of their own).
var builtinRoutes = map[string]bool{
	"POST " + wechatpaytest.RouteMembercardBonusPrepare: true,
	"POST " + wechatpaytest.RouteNativePrepay:           true,
	"GET " + wechatpaytest.RouteQueryByOutTradeNo:       true,
	"POST " + wechatpaytest.RouteCloseOrder:             true,
	"POST " + wechatpaytest.RouteRefund:                 true,
	"GET " + wechatpaytest.RouteQueryRefund:             true,
	"GET " + wechatpaytest.RouteCertificates:            true,
	"POST " + wechatpaytest.RouteImageUpload:            true,
	"POST " + wechatpaytest.RouteJSAPIPrepay:            true,
	"GET " + wechatpaytest.RouteTradeBill:               true,
	"GET " + wechatpaytest.RouteFundFlowBill:            true,
	"GET " + wechatpaytest.RouteBillDownload:            true,
	// the media uploads with a hand-written check of their digest (uploads.go)
	"POST " + wechatpaytest.RouteMarketingImageUpload:   true,
	"POST " + wechatpaytest.RouteProductCouponImage:     true,
	"POST " + wechatpaytest.RouteMerchantMediaUpload:    true,
	"POST " + wechatpaytest.RouteMerchantVideoUpload:    true,
	"POST " + wechatpaytest.RouteGlobalStorageUpload:    true,
	"POST " + wechatpaytest.RouteSubmissionFileUpload:   true,
	"POST " + wechatpaytest.RouteDueDiligenceFileUpload: true,
}

// TestCatalogEveryEndpoint calls every catalogued APIv3 endpoint without a
// hand-written route through the chain of one client (signed requests,
// verified answers, catalog.Validate as Config.Validator) and checks the
// answer against the catalog: every documented response field present
// with a value of its type, 204 where no content, the file for downloads.
func TestCatalogEveryEndpoint(t *testing.T) {
	t.Parallel()
	srv := wechatpaytest.NewServer()
	t.Cleanup(srv.Close)
	client, err := srv.Client(func(c *wechatpay.Config) { c.Validator = catalog.Validate })
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(client.CloseIdleConnections)

	var called, builtin, uploads int
	t.Run("endpoints", func(t *testing.T) {
		for _, ep := range catalog.All() {
			if ep.API != "v3" {
				continue
			}
			if builtinRoutes[ep.Method+" "+ep.Path] {
				builtin++
				continue
			}
			if isUpload(ep) && !uploadSupported {
				uploads++
				continue
			}
			called++
			t.Run(ep.Method+" "+ep.Path, func(t *testing.T) {
				t.Parallel()
				callEndpoint(t, srv, client, ep)
			})
		}
	})
	t.Logf("%d endpoints answered by the catalog routes (multipart uploads through the upload option included), %d by hand-written routes, %d uploads skipped", called, builtin, uploads)
	if called < 990 {
		t.Errorf("only %d endpoints called", called)
	}
}

// isUpload reports whether ep takes a multipart/form-data body.
func isUpload(ep catalog.Endpoint) bool {
	for _, f := range ep.Request {
		if f.Depth == 0 && f.Name == "body" {
			return true
		}
	}
	return false
}

// uploadSupported: the multipart endpoints without a hand-written route go
// through the chain with the "upload" option (TestCatalogUploads also sends
// them with the test's own signing code).
const uploadSupported = true

// ciphertext stands for an RSA-OAEP ciphertext of a 2048-bit key.
var ciphertext = base64.StdEncoding.EncodeToString(make([]byte, 256))

func callEndpoint(t *testing.T, srv *wechatpaytest.Server, client *wechatpay.Client, ep catalog.Endpoint) {
	opts := wechatpay.Options{}
	concrete := ep.Path
	for _, p := range ep.Placeholders {
		v := "P-" + strings.ReplaceAll(p, "_", "-")
		opts[p] = v
		concrete = strings.Replace(concrete, "{"+p+"}", v, 1)
	}
	query, headers := map[string]string{}, map[string]string{}
	for i, f := range ep.Request {
		switch {
		case f.Depth == 0 && f.Name == "body":
			up := wechatpay.Upload{Filename: "a.pdf", Content: strings.NewReader("%PDF-1.4 wechatpaytest"), Meta: wechatpay.M{}}
			for _, c := range children(ep.Request, i) {
				if name := ep.Request[c].Name; name != "meta" {
					up.Field = name
				}
			}
			for _, r := range ep.Request {
				if r.Parent == "meta" && r.Required {
					up.Meta[r.Name] = "x"
				}
			}
			opts["upload"] = up
		case f.Depth != 0:
		case f.Name == "json" && f.Required:
			opts["json"] = required(ep.Request, i)
		case f.Name == "query":
			for _, c := range children(ep.Request, i) {
				if ep.Request[c].Required {
					query[ep.Request[c].Name] = "q"
				}
			}
		case f.Name == "headers":
			for _, c := range children(ep.Request, i) {
				if h := ep.Request[c]; h.Required {
					headers[h.Name] = "h-" + h.Name
					if h.Name == "Wechatpay-Serial" {
						headers[h.Name] = srv.PlatformSerial()
					}
				}
			}
		}
	}
	if len(query) > 0 {
		opts["query"] = query
	}
	if len(headers) > 0 {
		opts["headers"] = headers
	}
	resp, err := client.Chain(ep.Path).Do(context.Background(), ep.Method, opts)
	if err != nil {
		t.Fatalf("%v", err)
	}
	// Where two catalogued paths have the same shape, the mock answers as
	// the first one.
	answered, _ := catalog.Lookup(ep.Method, concrete)
	switch answered.ResponseKind {
	case "no_content":
		if resp.StatusCode() != http.StatusNoContent || len(resp.Body()) != 0 {
			t.Fatalf("HTTP %d %q, want 204 and no body", resp.StatusCode(), resp.Body())
		}
	case "file":
		if want := "wechatpaytest file for " + ep.Method + " " + concrete + "\n"; string(resp.Body()) != want {
			t.Fatalf("file %q, want %q", resp.Body(), want)
		}
	default:
		if resp.StatusCode() != http.StatusOK {
			t.Fatalf("HTTP %d, want 200", resp.StatusCode())
		}
		var got map[string]any
		if err := json.Unmarshal(resp.Body(), &got); err != nil {
			t.Fatalf("answer is not a JSON object: %v", err)
		}
		checkFields(t, srv.MerchantKey(), answered.Response, -1, 0, len(answered.Response), got, "")
	}
}

// children returns the indexes of the direct children of rows[i].
func children(rows []catalog.Field, i int) []int {
	var out []int
	for j := i + 1; j < len(rows) && rows[j].Depth > rows[i].Depth; j++ {
		if rows[j].Depth == rows[i].Depth+1 {
			out = append(out, j)
		}
	}
	return out
}

// required builds a value for rows[i] holding its required children.
func required(rows []catalog.Field, i int) any {
	f := rows[i]
	obj := func() map[string]any {
		m := map[string]any{}
		for _, c := range children(rows, i) {
			if _, dup := m[rows[c].Name]; rows[c].Required && !dup {
				m[rows[c].Name] = required(rows, c)
			}
		}
		return m
	}
	switch f.Type {
	case "object":
		return obj()
	case "object[]":
		return []any{obj()}
	case "string[]":
		return []any{"x"}
	case "integer[]", "number[]":
		return []any{2}
	case "integer", "number", "float":
		return 2
	case "boolean", "true":
		return true
	}
	switch {
	case f.EncryptedWith == "wechatpay-public-key":
		return ciphertext
	case f.Encoded == "by-json_encode" && len(children(rows, i)) > 0:
		b, _ := json.Marshal(obj())
		return string(b)
	}
	return "x"
}

// checkFields checks that the object got holds every row of rows[from:to]
// at depth+1 (the children of the row at parent), recursively, each with
// a value of its documented type.
func checkFields(t *testing.T, merchantKey *rsa.PrivateKey, rows []catalog.Field, parentDepth, from, to int, got map[string]any, prefix string) {
	t.Helper()
	for i := from; i < to; i++ {
		f := rows[i]
		if f.Depth != parentDepth+1 {
			continue
		}
		end := i + 1
		for end < to && rows[end].Depth > f.Depth {
			end++
		}
		name := prefix + f.Name
		v, ok := got[f.Name]
		if !ok {
			t.Errorf("%s: missing from the answer", name)
			continue
		}
		if err := checkType(f.Type, v); err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		switch x := v.(type) {
		case map[string]any:
			checkFields(t, merchantKey, rows, f.Depth, i+1, end, x, name+".")
		case []any:
			if m, isObj := x[0].(map[string]any); isObj {
				checkFields(t, merchantKey, rows, f.Depth, i+1, end, m, name+"[0].")
			}
		case string:
			if f.EncryptedWith == "merchant-public-key" {
				ct, _ := base64.StdEncoding.DecodeString(x)
				pt, err := rsa.DecryptOAEP(sha1.New(), nil, merchantKey, ct, nil)
				if err != nil || string(pt) != "mock "+f.Name {
					t.Errorf("%s: ciphertext does not decrypt with the merchant key to %q: %q, %v", name, "mock "+f.Name, pt, err)
				}
			}
		}
	}
}

// checkType checks a decoded JSON value against a catalog type.
func checkType(typ string, v any) error {
	ok := false
	switch typ {
	case "object":
		_, ok = v.(map[string]any)
	case "object[]", "string[]", "integer[]", "number[]":
		var list []any
		list, ok = v.([]any)
		ok = ok && len(list) > 0
		if ok {
			return checkType(strings.TrimSuffix(typ, "[]"), list[0])
		}
	case "string":
		_, ok = v.(string)
	case "integer", "number", "float":
		_, ok = v.(float64)
	case "boolean":
		_, ok = v.(bool)
	default:
		ok = true
	}
	if !ok {
		return fmt.Errorf("%T %v is not a non-empty %s", v, v, typ)
	}
	return nil
}
