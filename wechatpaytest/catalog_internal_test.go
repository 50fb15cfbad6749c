package wechatpaytest

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wechatpay-chain/wechatpay/catalog"
)

// TestCatalogRouteRejects: required fields, wrong types, methods and the
// switch.
func TestCatalogRouteRejects(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	const partner = "v3/pay/partner/transactions/native"
	full := M{"sp_appid": "wx1", "sp_mchid": "1", "sub_mchid": "2", "description": "d", "out_trade_no": "o",
		"notify_url": "https://x", "amount": M{"total": 1}}
	without := func(key string) M {
		m := M{}
		for k, v := range full {
			if k != key {
				m[k] = v
			}
		}
		return m
	}
	for _, tc := range []struct {
		name, method, path string
		body               []byte
		status             int
		code, field        string
		location           string
	}{
		{"complete", "POST", partner, mustJSON(t, full), 200, "", "", ""},
		{"missing body field", "POST", partner, mustJSON(t, without("sub_mchid")), 400, "PARAM_ERROR", "sub_mchid", "body"},
		{"missing nested field", "POST", partner, mustJSON(t, M{"sp_appid": "wx1", "sp_mchid": "1", "sub_mchid": "2", "description": "d", "out_trade_no": "o", "notify_url": "https://x", "amount": M{}}), 400, "PARAM_ERROR", "amount.total", "body"},
		{"wrong type", "POST", partner, mustJSON(t, M{"sp_appid": "wx1", "sp_mchid": "1", "sub_mchid": "2", "description": "d", "out_trade_no": "o", "notify_url": "https://x", "amount": M{"total": "1"}}), 400, "PARAM_ERROR", "amount.total", "body"},
		{"no body", "POST", partner, nil, 400, "PARAM_ERROR", "body", "body"},
		{"unknown fields are let through", "POST", partner, mustJSON(t, M{"sp_appid": "wx1", "sp_mchid": "1", "sub_mchid": "2", "description": "d", "out_trade_no": "o", "notify_url": "https://x", "amount": M{"total": 1}, "extra": 1}), 200, "", "", ""},
		{"missing query", "GET", "v3/pay/partner/transactions/out-trade-no/O1", nil, 400, "PARAM_ERROR", "sp_mchid", "query"},
		{"wrong method", "DELETE", partner, nil, 405, "METHOD_NOT_ALLOWED", "", ""},
		{"not catalogued", "GET", "v3/no/such/thing", nil, 404, "NOT_FOUND", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := call(t, s, tc.method, tc.path, tc.body)
			mustVerify(t, s, a)
			if a.status != tc.status || a.code() != tc.code {
				t.Fatalf("HTTP %d %s %s, want %d %s", a.status, a.code(), a.body, tc.status, tc.code)
			}
			if tc.field == "" {
				return
			}
			var e struct {
				Detail struct{ Field, Location string }
			}
			_ = json.Unmarshal(a.body, &e)
			if e.Detail.Field != tc.field || e.Detail.Location != tc.location {
				t.Errorf("detail %+v, want field %s in %s (%s)", e.Detail, tc.field, tc.location, a.body)
			}
		})
	}
}

// TestCatalogRouteAnswer: a catalog answer echoes request values by name
// and fills the rest.
func TestCatalogRouteAnswer(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	a := call(t, s, "GET", "v3/pay/partner/transactions/out-trade-no/O-42?sp_mchid=1900000100&sub_mchid=1900000109", nil)
	mustVerify(t, s, a)
	var got map[string]any
	if err := json.Unmarshal(a.body, &got); err != nil || a.status != 200 {
		t.Fatalf("HTTP %d %s", a.status, a.body)
	}
	want := map[string]any{"out_trade_no": "O-42", "sp_mchid": "1900000100", "sub_mchid": "1900000109"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %v, want %v", k, got[k], v)
		}
	}
	if amount, ok := got["amount"].(map[string]any); !ok || amount["total"] != float64(1) {
		t.Errorf("amount = %v", got["amount"])
	}
}

// TestCatalogHandWrittenWins: Handle and the built-in routes answer before
// the catalog; WithoutCatalog turns the catalog routes off.
func TestCatalogHandWrittenWins(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	s.Handle("POST", "v3/pay/partner/transactions/native", func(*Request) Reply { return JSON(200, M{"mine": true}) })
	a := call(t, s, "POST", "v3/pay/partner/transactions/native", []byte(`{}`))
	if diff := cmp.Diff(`{"mine":true}`, string(a.body)); a.status != 200 || diff != "" {
		t.Errorf("Handle route: HTTP %d %s", a.status, a.body)
	}
	// The built-in query knows no such order: 404 ORDER_NOT_EXIST, not a
	// catalog answer.
	if a := call(t, s, "GET", "v3/pay/transactions/out-trade-no/NONE?mchid="+s.MchID(), nil); a.status != 404 || a.code() != "ORDER_NOT_EXIST" {
		t.Errorf("built-in route: HTTP %d %s", a.status, a.body)
	}
	off := newServer(t, WithoutCatalog())
	if a := call(t, off, "GET", "v3/pay/partner/transactions/out-trade-no/O1?sp_mchid=1&sub_mchid=2", nil); a.status != http.StatusNotFound {
		t.Errorf("WithoutCatalog: HTTP %d %s", a.status, a.body)
	}
}

// multipartBody builds a multipart/form-data body: the meta part, then
// the file part called fileField (left out when fileField is empty).
func multipartBody(t *testing.T, meta []byte, fileField, filename, contentType string, file []byte) (body []byte, formType string) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	part := func(disposition, ctype string, data []byte) {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", disposition)
		h.Set("Content-Type", ctype)
		p, err := w.CreatePart(h)
		if err != nil {
			t.Fatal(err)
		}
		p.Write(data)
	}
	part(`form-data; name="meta"`, "application/json", meta)
	if fileField != "" {
		part(`form-data; name="`+fileField+`"; filename="`+filename+`"`, contentType, file)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes(), w.FormDataContentType()
}

// TestCatalogUploads sends every catalogued multipart upload without a
// hand-written route, signed over its meta part by the test's own code
// (TestCatalogEveryEndpoint sends them through the chain's upload option),
// and checks the catalog answer; then without the file part and with an
// empty meta.
func TestCatalogUploads(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	handWritten := map[string]bool{}
	for _, u := range uploadRules {
		handWritten[u.path] = true // these check the digest and have tests of their own
	}
	n := 0
	for _, ep := range catalog.All() {
		if ep.API != "v3" || ep.Method != "POST" || slices.ContainsFunc(uploadRules, func(u uploadRule) bool { return u.path == ep.Path }) {
			continue // a hand-written upload route (uploads.go, tested in files_test.go)
		}
		fileField, meta := "", M{}
		for _, f := range ep.Request {
			switch {
			case f.Parent == "body" && f.Name != "meta":
				fileField = f.Name
			case f.Parent == "meta" && f.Required:
				meta[f.Name] = "x"
			}
		}
		if fileField == "" {
			continue
		}
		n++
		path := strings.ReplaceAll(strings.ReplaceAll(ep.Path, "{", "P-"), "}", "")
		upload := func(metaJSON []byte, field string) answer {
			body, ctype := multipartBody(t, metaJSON, field, "a.pdf", "application/pdf", []byte("%PDF-1.4 wechatpaytest"))
			req := newRequest(t, s, "POST", path, body)
			req.Header.Set("Content-Type", ctype)
			req.Header.Set("Authorization", credsFor(s).authorization("POST", req.URL.RequestURI(), metaJSON))
			a := send(t, req)
			mustVerify(t, s, a)
			return a
		}
		metaJSON := mustJSON(t, meta)
		a := upload(metaJSON, fileField)
		var got map[string]any
		switch {
		case ep.ResponseKind == "no_content" && a.status != 204,
			ep.ResponseKind == "fields" && (a.status != 200 || json.Unmarshal(a.body, &got) != nil):
			t.Errorf("%s: HTTP %d %s", ep.Path, a.status, a.body)
			continue
		}
		for _, f := range ep.Response {
			if _, ok := got[f.Name]; f.Depth == 0 && !ok {
				t.Errorf("%s: answer lacks %s: %s", ep.Path, f.Name, a.body)
			}
		}
		if a := upload(metaJSON, ""); a.status != 400 || !strings.Contains(a.message(), fileField) {
			t.Errorf("%s without %s: HTTP %d %s", ep.Path, fileField, a.status, a.body)
		}
		if len(meta) > 0 {
			if a := upload([]byte(`{}`), fileField); a.status != 400 || !strings.Contains(a.message(), "meta.") {
				t.Errorf("%s with an empty meta: HTTP %d %s", ep.Path, a.status, a.body)
			}
		}
	}
	if want := 13 - len(uploadRules); n != want {
		t.Errorf("%d uploads sent, want %d: the catalog's 13 minus the %d with hand-written routes", n, want, len(uploadRules))
	}
}
