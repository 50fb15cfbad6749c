package wechatpaytest

import (
	"bytes"
	"compress/gzip"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/textproto"
	"net/url"
	"strings"
	"testing"
)

// TestBills: both bill routes, plain and GZIP, answer a download URL on
// the server whose file (unsigned, but only to a signed request) hashes to
// hash_value once decompressed.
func TestBills(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	for _, route := range []string{RouteTradeBill, RouteFundFlowBill} {
		for _, tar := range []string{"", "GZIP"} {
			q := url.Values{"bill_date": {"2026-11-30"}}
			if tar != "" {
				q.Set("tar_type", tar)
			}
			a := call(t, s, "GET", route+"?"+q.Encode(), nil)
			mustVerify(t, s, a)
			var bill struct{ DownloadURL, HashType, HashValue string }
			if err := json.Unmarshal(a.body, &struct {
				D *string `json:"download_url"`
				T *string `json:"hash_type"`
				V *string `json:"hash_value"`
			}{&bill.DownloadURL, &bill.HashType, &bill.HashValue}); err != nil || bill.HashType != "SHA1" {
				t.Fatalf("%s: %d %s", route, a.status, a.body)
			}
			rel, ok := strings.CutPrefix(bill.DownloadURL, s.URL)
			if !ok || !strings.HasPrefix(rel, RouteBillDownload+"?token=") {
				t.Fatalf("download_url %q is not on the server's %s", bill.DownloadURL, RouteBillDownload)
			}
			file := call(t, s, "GET", rel, nil)
			if file.status != 200 || file.header.Get(HeaderSignature) != "" {
				t.Fatalf("file: %d, signature header %q (want 200, unsigned)", file.status, file.header.Get(HeaderSignature))
			}
			plain := file.body
			if tar == "GZIP" {
				zr, err := gzip.NewReader(bytes.NewReader(file.body))
				if err != nil {
					t.Fatalf("%s GZIP: %v", route, err)
				}
				if plain, err = io.ReadAll(zr); err != nil {
					t.Fatal(err)
				}
			}
			sum := sha1.Sum(plain)
			if got := hex.EncodeToString(sum[:]); got != bill.HashValue {
				t.Errorf("%s tar_type=%q: SHA-1 of the plain file %s, hash_value %s", route, tar, got, bill.HashValue)
			}
			// The file needs a signed request like every other call.
			req := newRequest(t, s, "GET", rel, nil)
			if a := send(t, req); a.status != 401 {
				t.Errorf("unsigned download: %d, want 401", a.status)
			}
		}
	}
	for _, bad := range []string{"", "bill_date=2026-13-01", "bill_date=2026-11-30&tar_type=ZIP", "bill_date=2026-11-30&bill_type=X"} {
		if a := call(t, s, "GET", RouteTradeBill+"?"+bad, nil); a.status != 400 || a.code() != "PARAM_ERROR" {
			t.Errorf("%q: %d %s, want 400 PARAM_ERROR", bad, a.status, a.body)
		}
	}
	if a := call(t, s, "GET", RouteBillDownload+"?token=nope", nil); a.status != 400 {
		t.Errorf("unknown token: %d", a.status)
	}
}

// TestPayShowsInQueryAndBill: Pay makes an order SUCCESS with a
// transaction id, in the query and in the trade bill.
func TestPayShowsInQueryAndBill(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	if a := call(t, s, "POST", RouteNativePrepay, mustJSON(t, nativeOrder(s, "ORDER1"))); a.status != 200 {
		t.Fatalf("prepay: %d %s", a.status, a.body)
	}
	tx, err := s.Pay("ORDER1")
	if err != nil {
		t.Fatal(err)
	}
	id, _ := tx["transaction_id"].(string)
	if tx["trade_state"] != "SUCCESS" || len(id) != 28 {
		t.Fatalf("Pay: %v", tx)
	}
	a := call(t, s, "GET", "v3/pay/transactions/out-trade-no/ORDER1?mchid="+s.MchID(), nil)
	if !strings.Contains(string(a.body), `"transaction_id":"`+id+`"`) {
		t.Errorf("query does not show the payment: %s", a.body)
	}
	if _, err := s.Pay("NOPE"); err == nil {
		t.Error("Pay of an unknown order succeeded")
	}
	csv := string(s.tradeBillCSV("2026-11-30", "ALL"))
	if !strings.Contains(csv, "`"+id+",`ORDER1,") || !strings.Contains(csv, "\r\n`1,`") {
		t.Errorf("trade bill does not list the paid order:\n%s", csv)
	}
	if _, err := s.CompleteRefund("NOPE"); err == nil {
		t.Error("CompleteRefund of an unknown refund succeeded")
	}
}

// uploadBody builds a multipart body from (name, filename, data) parts.
func uploadBody(t *testing.T, parts ...[3]string) ([]byte, string) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for _, p := range parts {
		h := textproto.MIMEHeader{}
		cd := `form-data; name="` + p[0] + `"`
		if p[1] != "" {
			cd += `; filename="` + p[1] + `"`
		}
		h.Set("Content-Disposition", cd)
		pw, err := w.CreatePart(h)
		if err != nil {
			t.Fatal(err)
		}
		pw.Write([]byte(p[2]))
	}
	w.Close()
	return b.Bytes(), w.FormDataContentType()
}

// TestUploadRules: every documented upload path checks its own meta
// field names, its file part, and that meta comes first.
func TestUploadRules(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	file := "GIF89a-bytes"
	sum := sha256Hex([]byte(file))
	for _, u := range uploadRules {
		path := strings.NewReplacer("{sub_mchid}", "1900000109", "{due_diligence_id}", "DD1").Replace(u.path)
		meta := `{"` + u.nameField + `":"a.gif","` + u.digestName + `":"` + sum + `"}`
		for _, tc := range []struct {
			name   string
			parts  [][3]string
			status int
		}{
			{"ok", [][3]string{{"meta", "", meta}, {u.fileField, "a.gif", file}}, 200},
			{"file first", [][3]string{{u.fileField, "a.gif", file}, {"meta", "", meta}}, 400},
			{"wrong digest", [][3]string{{"meta", "", strings.Replace(meta, sum, strings.Repeat("0", 64), 1)}, {u.fileField, "a.gif", file}}, 400},
			{"wrong file part", [][3]string{{"meta", "", meta}, {"other", "a.gif", file}}, 400},
		} {
			body, ctype := uploadBody(t, tc.parts...)
			req := newRequest(t, s, "POST", path, body)
			req.Header.Set("Content-Type", ctype)
			signed := ""
			for _, p := range tc.parts {
				if p[0] == "meta" {
					signed = p[2] // the signature covers the meta part as sent
				}
			}
			req.Header.Set("Authorization", credsFor(s).authorization("POST", req.URL.RequestURI(), []byte(signed)))
			if a := send(t, req); a.status != tc.status {
				t.Errorf("%s %s: %d %s, want %d", path, tc.name, a.status, a.body, tc.status)
			}
		}
	}
}

// TestJSAPIPrepay: a JSAPI order needs payer.openid, answers a prepay_id
// and shows trade_type JSAPI.
func TestJSAPIPrepay(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	o := nativeOrder(s, "J1")
	if a := call(t, s, "POST", RouteJSAPIPrepay, mustJSON(t, o)); a.status != 400 || !strings.Contains(a.message(), "payer.openid") {
		t.Errorf("without payer: %d %s", a.status, a.body)
	}
	o["payer"] = map[string]any{"openid": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"}
	a := call(t, s, "POST", RouteJSAPIPrepay, mustJSON(t, o))
	if a.status != 200 || !strings.HasPrefix(string(a.body), `{"prepay_id":"wx`) {
		t.Fatalf("%d %s", a.status, a.body)
	}
	q := call(t, s, "GET", "v3/pay/transactions/out-trade-no/J1?mchid="+s.MchID(), nil)
	if !strings.Contains(string(q.body), `"trade_type":"JSAPI"`) {
		t.Errorf("query: %s", q.body)
	}
}
