package wechatpaytest

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestSignedRequestSucceeds(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	a := call(t, s, http.MethodPost, RouteNativePrepay, mustJSON(t, nativeOrder(s, "ok-1")))
	if a.status != http.StatusOK {
		t.Fatalf("status %d, body %s", a.status, a.body)
	}
	mustVerify(t, s, a)
	if got := a.header.Get("Content-Type"); got != "application/json" {
		t.Errorf("Content-Type %q", got)
	}
	if !strings.HasPrefix(string(a.body), `{"code_url":"weixin://wxpay/bizpayurl?pr=`) {
		t.Errorf("body %s", a.body)
	}
	recs := s.Requests()
	if len(recs) != 1 {
		t.Fatalf("%d requests recorded", len(recs))
	}
	r := recs[0]
	if !r.Authorized || r.AuthFailure != "" || r.Status != 200 || r.Method != "POST" ||
		r.RequestURI != "/"+RouteNativePrepay || r.RequestID != a.header.Get("Request-ID") {
		t.Errorf("recorded %+v", r)
	}
}

func TestRequestRejected(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	body := mustJSON(t, nativeOrder(s, "rej-1"))
	const path = RouteNativePrepay + "?x=1"
	tests := []struct {
		name string
		// edit changes a correctly signed request; it gets the correct
		// credentials and returns the Authorization to send ("" = none)
		// and the request to send.
		edit func(c creds, req *http.Request) (auth string, _ *http.Request)
		want string // in the message
	}{
		{"missing Authorization", func(c creds, r *http.Request) (string, *http.Request) { return "", r }, "missing Authorization"},
		{"wrong mchid", func(c creds, r *http.Request) (string, *http.Request) {
			c.mchid = "1900000001"
			return c.authorization(r.Method, r.URL.RequestURI(), body), r
		}, "wrong mchid"},
		{"wrong serial", func(c creds, r *http.Request) (string, *http.Request) {
			c.serial = "5157F09EFDC096DE15EBE81A47057A7232F1B8E1"
			return c.authorization(r.Method, r.URL.RequestURI(), body), r
		}, "unknown serial_no"},
		{"timestamp 301 s old", func(c creds, r *http.Request) (string, *http.Request) {
			c.ts -= 301
			return c.authorization(r.Method, r.URL.RequestURI(), body), r
		}, "timestamp expired"},
		{"timestamp 301 s ahead", func(c creds, r *http.Request) (string, *http.Request) {
			c.ts += 301
			return c.authorization(r.Method, r.URL.RequestURI(), body), r
		}, "timestamp expired"},
		{"body changed after signing", func(c creds, r *http.Request) (string, *http.Request) {
			return c.authorization(r.Method, r.URL.RequestURI(), []byte(`{"changed":true}`)), r
		}, "signature mismatch"},
		{"query changed after signing", func(c creds, r *http.Request) (string, *http.Request) {
			return c.authorization(r.Method, "/"+RouteNativePrepay+"?x=2", body), r
		}, "signature mismatch"},
		{"path signed with host", func(c creds, r *http.Request) (string, *http.Request) {
			return c.authorization(r.Method, r.URL.String(), body), r
		}, "signature mismatch"},
		{"method changed after signing", func(c creds, r *http.Request) (string, *http.Request) {
			return c.authorization("PUT", r.URL.RequestURI(), body), r
		}, "signature mismatch"},
		{"signed with another key", func(c creds, r *http.Request) (string, *http.Request) {
			c.key = otherKey()
			return c.authorization(r.Method, r.URL.RequestURI(), body), r
		}, "signature mismatch"},
		{"bad base64 signature", func(c creds, r *http.Request) (string, *http.Request) {
			a := c.authorization(r.Method, r.URL.RequestURI(), body)
			i := strings.Index(a, `signature="`) + len(`signature="`)
			return a[:i] + "!!!" + a[i+3:], r
		}, "not valid base64"},
		{"nonce too long", func(c creds, r *http.Request) (string, *http.Request) {
			c.nonce = strings.Repeat("A", 33)
			return c.authorization(r.Method, r.URL.RequestURI(), body), r
		}, "nonce_str must be 1 to 32"},
		{"malformed: wrong scheme", func(c creds, r *http.Request) (string, *http.Request) {
			a := c.authorization(r.Method, r.URL.RequestURI(), body)
			return strings.Replace(a, "WECHATPAY2-SHA256-RSA2048", "WECHATPAY2-SHA256-RSA", 1), r
		}, "malformed Authorization"},
		{"malformed: missing signature", func(c creds, r *http.Request) (string, *http.Request) {
			a := c.authorization(r.Method, r.URL.RequestURI(), body)
			return a[:strings.Index(a, `,signature=`)], r
		}, "missing parameter signature"},
		{"malformed: unquoted value", func(c creds, r *http.Request) (string, *http.Request) {
			a := c.authorization(r.Method, r.URL.RequestURI(), body)
			return strings.Replace(a, `mchid="`+c.mchid+`"`, `mchid=`+c.mchid, 1), r
		}, "malformed Authorization"},
		{"malformed: non-numeric timestamp", func(c creds, r *http.Request) (string, *http.Request) {
			a := c.authorization(r.Method, r.URL.RequestURI(), body)
			i := strings.Index(a, `timestamp="`) + len(`timestamp="`)
			return a[:i] + "x" + a[i+1:], r
		}, "not Unix seconds"},
		{"two Authorization headers", func(c creds, r *http.Request) (string, *http.Request) {
			a := c.authorization(r.Method, r.URL.RequestURI(), body)
			r.Header.Add("Authorization", a)
			return a, r
		}, "2 Authorization headers"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			req := newRequest(t, s, http.MethodPost, path, body)
			auth, req := tc.edit(credsFor(s), req)
			if auth != "" {
				req.Header.Add("Authorization", auth)
			}
			a := send(t, req)
			if a.status != http.StatusUnauthorized || a.code() != "SIGN_ERROR" {
				t.Fatalf("got %d %s, want 401 SIGN_ERROR", a.status, a.body)
			}
			t.Logf("message: %s", a.message())
			if !strings.Contains(a.message(), tc.want) {
				t.Errorf("message %q does not say %q", a.message(), tc.want)
			}
			if strings.Contains(a.message(), "signature=\"") {
				t.Errorf("message quotes the Authorization: %q", a.message())
			}
			checkSignInformation(t, a, req, body, tc.want == "signature mismatch")
			mustVerify(t, s, a)
		})
	}
}

// TestTimestampWindow checks the ±300 s boundary with a fixed clock.
func TestTimestampWindow(t *testing.T) {
	t.Parallel()
	clock := &fixedClock{t: time.Unix(1_700_000_000, 0)}
	s := newServer(t, WithClock(clock.now))
	tests := []struct {
		offset int64
		want   int
	}{{-301, 401}, {-300, 200}, {0, 200}, {300, 200}, {301, 401}}
	for _, tc := range tests {
		c := credsFor(s)
		c.ts += tc.offset
		body := mustJSON(t, nativeOrder(s, "window"))
		req := newRequest(t, s, http.MethodPost, RouteNativePrepay, body)
		req.Header.Set("Authorization", c.authorization("POST", req.URL.RequestURI(), body))
		a := send(t, req)
		if a.status != tc.want {
			t.Errorf("offset %+d s: status %d (%s), want %d", tc.offset, a.status, a.body, tc.want)
		}
		mustVerify(t, s, a)
		if got, want := a.header.Get(HeaderTimestamp), "1700000000"; got != want {
			t.Errorf("answer timestamp %s, want the server clock %s", got, want)
		}
	}
}

// TestOtherSDKFieldOrder: the official Go SDK writes the parameters in
// another order; WeChat Pay accepts any order.
func TestOtherSDKFieldOrder(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	c := credsFor(s)
	req := newRequest(t, s, http.MethodGet, "v3/certificates", nil)
	a := c.authorization("GET", req.URL.RequestURI(), nil)
	p, err := parseAuthorization(a)
	if err != nil {
		t.Fatal(err)
	}
	reordered := `WECHATPAY2-SHA256-RSA2048 mchid="` + p.mchid + `",nonce_str="` + p.nonceStr + `",timestamp="` +
		p.timestamp + `",serial_no="` + p.serialNo + `",signature="` + p.signature + `"`
	req.Header.Set("Authorization", reordered)
	got := send(t, req)
	if got.code() == "SIGN_ERROR" {
		t.Fatalf("reordered parameters rejected: %s", got.body)
	}
}

func TestParseAuthorization(t *testing.T) {
	t.Parallel()
	full := authorization{mchid: "1230000109", serialNo: "ABC", timestamp: "1554208460", nonceStr: "n", signature: "c2ln"}
	tests := []struct {
		in      string
		want    authorization
		wantErr string
	}{
		{in: `WECHATPAY2-SHA256-RSA2048 mchid="1230000109",serial_no="ABC",timestamp="1554208460",nonce_str="n",signature="c2ln"`, want: full},
		{in: `WECHATPAY2-SHA256-RSA2048 signature="c2ln",nonce_str="n",timestamp="1554208460",serial_no="ABC",mchid="1230000109"`, want: full},
		{in: `WECHATPAY2-SHA256-RSA2048 mchid="1230000109", serial_no="ABC" ,timestamp="1554208460",nonce_str="n",signature="c2ln"`, want: full},
		{in: ``, wantErr: "want the scheme"},
		{in: `WECHATPAY2-SHA256-RSA2048`, wantErr: "no parameters"},
		{in: `Bearer x`, wantErr: `scheme "Bearer"`},
		{in: `wechatpay2-sha256-rsa2048 mchid="1"`, wantErr: "scheme"},
		{in: `WECHATPAY2-SHA256-RSA2048 mchid="1230000109"`, wantErr: "missing parameter serial_no"},
		{in: `WECHATPAY2-SHA256-RSA2048 mchid="1",mchid="1"`, wantErr: "appears twice"},
		{in: `WECHATPAY2-SHA256-RSA2048 mchid="1",foo="2"`, wantErr: `unknown parameter "foo"`},
		{in: `WECHATPAY2-SHA256-RSA2048 mchid=1`, wantErr: `want ="value"`},
		{in: `WECHATPAY2-SHA256-RSA2048 mchid="1`, wantErr: "unterminated"},
		{in: `WECHATPAY2-SHA256-RSA2048 mchid="1" serial_no="2"`, wantErr: "want a comma"},
		{in: `WECHATPAY2-SHA256-RSA2048 mchid="1",,serial_no="2"`, wantErr: "want a parameter name"},
		{in: `WECHATPAY2-SHA256-RSA2048 mchid="1",`, wantErr: "want a parameter name"},
		{in: `WECHATPAY2-SHA256-RSA2048 mchid="a\"b"`, wantErr: "backslash"},
		{in: "WECHATPAY2-SHA256-RSA2048 mchid=\"a\x01\"", wantErr: "control character"},
	}
	for _, tc := range tests {
		got, err := parseAuthorization(tc.in)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("parse(%q) error %v, want one saying %q", tc.in, err, tc.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("parse(%q): %v", tc.in, err)
			continue
		}
		if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(authorization{})); diff != "" {
			t.Errorf("parse(%q) (-want +got):\n%s", tc.in, diff)
		}
	}
}

func FuzzParseAuthorization(f *testing.F) {
	f.Add(`WECHATPAY2-SHA256-RSA2048 mchid="1230000109",serial_no="ABC",timestamp="1554208460",nonce_str="n",signature="c2ln"`)
	f.Add(`WECHATPAY2-SHA256-RSA2048 mchid="1", serial_no="2"`)
	f.Add(`WECHATPAY2-SHA256-RSA2048 a="`)
	f.Fuzz(func(t *testing.T, in string) {
		a, err := parseAuthorization(in)
		if err != nil {
			if strings.Contains(err.Error(), in) && len(in) > 60 {
				t.Fatalf("error quotes the whole header: %v", err)
			}
			return
		}
		// Whatever parses re-serialises to something that parses the same.
		again := `WECHATPAY2-SHA256-RSA2048 mchid="` + a.mchid + `",serial_no="` + a.serialNo +
			`",timestamp="` + a.timestamp + `",nonce_str="` + a.nonceStr + `",signature="` + a.signature + `"`
		b, err := parseAuthorization(again)
		if err != nil || b != a {
			t.Fatalf("round trip of %q: %+v, %v", in, b, err)
		}
		for _, v := range []string{a.mchid, a.serialNo, a.timestamp, a.nonceStr, a.signature} {
			if strings.ContainsAny(v, "\"\\") {
				t.Fatalf("value %q holds a quote or backslash", v)
			}
		}
	})
}

// checkSignInformation checks detail.sign_information of a SIGN_ERROR
// answer: present exactly for a signature mismatch, describing the message
// the server rebuilt from the request as received.
func checkSignInformation(t *testing.T, a answer, req *http.Request, body []byte, want bool) {
	t.Helper()
	var e struct {
		Detail struct {
			SignInformation *struct {
				Method               string `json:"method"`
				URL                  string `json:"url"`
				SignMessageLength    int    `json:"sign_message_length"`
				TruncatedSignMessage string `json:"truncated_sign_message"`
			} `json:"sign_information"`
		} `json:"detail"`
	}
	if err := json.Unmarshal(a.body, &e); err != nil {
		t.Fatal(err)
	}
	si := e.Detail.SignInformation
	if !want {
		if si != nil {
			t.Errorf("sign_information %+v on a failure before the signature check", si)
		}
		return
	}
	if si == nil {
		t.Fatalf("no detail.sign_information in %s", a.body)
	}
	uri := req.URL.RequestURI()
	prefix := req.Method + "\n" + uri + "\n"
	if si.Method != req.Method || si.URL != uri || !strings.HasPrefix(si.TruncatedSignMessage, prefix) ||
		si.SignMessageLength <= len(prefix)+len(body) || len(si.TruncatedSignMessage) > 128 {
		t.Errorf("sign_information = %+v, want %s %s over a message starting %q", si, req.Method, uri, prefix)
	}
}
