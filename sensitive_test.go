package wechatpay_test

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/tidwall/gjson"

	"github.com/wechatpay-chain/wechatpay"
	"github.com/wechatpay-chain/wechatpay/wechatpaytest"
)

var (
	platformKeyOnce sync.Once
	platformKey     *rsa.PrivateKey
)

// ownPlatformKey is a platform key whose private half the test holds, so it
// can decrypt what the client encrypted, with the standard library alone.
func ownPlatformKey(t testing.TB) *rsa.PrivateKey {
	platformKeyOnce.Do(func() {
		var err error
		if platformKey, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
	})
	return platformKey
}

// oaepOpen decrypts a base64 RSA-OAEP (SHA-1) ciphertext.
func oaepOpen(t testing.TB, key *rsa.PrivateKey, ct string) string {
	t.Helper()
	raw, err := base64.StdEncoding.DecodeString(ct)
	if err != nil {
		t.Fatalf("ciphertext %q: %v", ct, err)
	}
	pt, err := rsa.DecryptOAEP(sha1.New(), nil, key, raw, nil)
	if err != nil {
		t.Fatalf("OAEP: %v", err)
	}
	return string(pt)
}

type contact struct {
	Name   wechatpay.Sensitive  `json:"contact_name"`
	Mobile *wechatpay.Sensitive `json:"mobile_phone,omitempty"`
	Plain  string               `json:"contact_type"`
	Hidden wechatpay.Sensitive  `json:"-"`
	inner
}

type inner struct {
	ID wechatpay.Sensitive `json:"contact_id_number"`
}

// applyment captures what the server received for the applyment route.
type applyment struct {
	mu     sync.Mutex
	header http.Header
	body   []byte
}

func (a *applyment) handle(r *wechatpaytest.Request) wechatpaytest.Reply {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.header, a.body = r.Header.Clone(), r.Body
	return wechatpaytest.JSON(200, wechatpaytest.M{"applyment_id": 2000002124775691})
}

// TestSensitiveEndToEnd sends Sensitive values in maps, slices, struct
// fields, embedded structs and behind pointers; the server side decrypts
// each with the platform private key and finds Wechatpay-Serial naming it.
func TestSensitiveEndToEnd(t *testing.T) {
	t.Parallel()
	for _, mode := range []wechatpaytest.KeyMode{wechatpaytest.PublicKeyMode, wechatpaytest.CertificateMode} {
		t.Run(mode.String(), func(t *testing.T) {
			t.Parallel()
			key := ownPlatformKey(t)
			srv := newServer(t, wechatpaytest.WithKeyMode(mode), wechatpaytest.WithPlatformKey(key, ""))
			got := &applyment{}
			srv.Handle("POST", "v3/applyment4sub/applyment/", got.handle)
			client := newClient(t, srv, nil)
			mobile := wechatpay.Sensitive("13900000000")
			c := &contact{Name: "张三", Mobile: &mobile, Plain: "LEGAL", Hidden: "never sent", inner: inner{ID: "110101199003070000"}}
			body := wechatpay.M{
				"business_code": "APPLYMENT_00000000001",
				"contact_info":  c,
				"bank_account":  wechatpay.M{"account_name": wechatpay.Sensitive("李四"), "numbers": []any{wechatpay.Sensitive("6214830000000000"), "plain"}},
				"typed":         map[string]wechatpay.Sensitive{"x": "typed map value"},
				"list":          []wechatpay.Sensitive{"typed slice value"},
			}
			resp, err := client.Chain("v3/applyment4sub/applyment/").Post(context.Background(), wechatpay.Options{"json": body})
			if err != nil {
				t.Fatal(err)
			}
			if resp.Get("applyment_id").Int() == 0 {
				t.Errorf("answer %s", resp.Body())
			}
			if s := got.header.Get("Wechatpay-Serial"); s != srv.PlatformSerial() {
				t.Errorf("Wechatpay-Serial %q, want %q", s, srv.PlatformSerial())
			}
			sent := gjson.ParseBytes(got.body)
			for path, want := range map[string]string{
				"contact_info.contact_name":      "张三",
				"contact_info.mobile_phone":      "13900000000",
				"contact_info.contact_id_number": "110101199003070000",
				"bank_account.account_name":      "李四",
				"bank_account.numbers.0":         "6214830000000000",
				"typed.x":                        "typed map value",
				"list.0":                         "typed slice value",
			} {
				ct := sent.Get(path).String()
				if strings.Contains(string(got.body), want) {
					t.Errorf("%s sent in plaintext: %s", path, got.body)
				}
				if pt := oaepOpen(t, key, ct); pt != want {
					t.Errorf("%s decrypts to %q, want %q", path, pt, want)
				}
			}
			if sent.Get("contact_info.contact_type").String() != "LEGAL" || sent.Get("bank_account.numbers.1").String() != "plain" || strings.Contains(string(got.body), "never sent") {
				t.Errorf("plain fields changed: %s", got.body)
			}
			if c.Name != "张三" || *c.Mobile != "13900000000" || c.ID != "110101199003070000" || body["bank_account"].(wechatpay.M)["account_name"] != wechatpay.Sensitive("李四") {
				t.Errorf("the caller's values were modified: %+v", c)
			}
		})
	}
}

// TestSensitiveKeyChoice covers the key choice: public key first, newest
// certificate, ambiguity, and caller-set Wechatpay-Serial.
func TestSensitiveKeyChoice(t *testing.T) {
	t.Parallel()
	pub := &ownPlatformKey(t).PublicKey
	other := &attackerKey(t).PublicKey
	const (
		pubID = "PUB_KEY_ID_0114232134912410000000000000"
		certA = "5157F09EFDC096DE15EBE81A47057A7232F1B8E1"
		certB = "7132D72A03E93CDDF8C03BBD1F37EEDF9A7E3B31"
	)
	tests := []struct {
		name    string
		certs   map[string]*rsa.PublicKey
		header  string
		want    string
		wantErr string
	}{
		{name: "public key only", certs: map[string]*rsa.PublicKey{pubID: pub}, want: pubID},
		{name: "public key wins over a certificate", certs: map[string]*rsa.PublicKey{pubID: pub, certA: other}, want: pubID},
		{name: "one certificate", certs: map[string]*rsa.PublicKey{certA: pub}, want: certA},
		{name: "two certificates", certs: map[string]*rsa.PublicKey{certA: pub, certB: other}, wantErr: "keep only the newest"},
		{name: "two certificates, header names one", certs: map[string]*rsa.PublicKey{certA: pub, certB: other}, header: certB, want: certB},
		{name: "two public keys", certs: map[string]*rsa.PublicKey{pubID: pub, pubID + "1": other}, wantErr: "keep only the current one"},
		{name: "header names another key", certs: map[string]*rsa.PublicKey{pubID: pub, certA: other}, header: certA, wantErr: "encrypted with"},
		{name: "header names an unknown key", certs: map[string]*rsa.PublicKey{pubID: pub}, header: "PUB_KEY_ID_0199", wantErr: "encrypted with"},
		{name: "header names the chosen key", certs: map[string]*rsa.PublicKey{pubID: pub}, header: pubID, want: pubID},
	}
	srv := newServer(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			client := newClient(t, srv, func(c *wechatpay.Config) { c.Certs, c.APIv3Key = tt.certs, "" })
			before := len(srv.Requests())
			opts := wechatpay.Options{"json": wechatpay.M{"name": wechatpay.Sensitive("张三")}}
			if tt.header != "" {
				opts["headers"] = map[string]string{"wechatpay-serial": tt.header}
			}
			_, err := client.Chain("v3/applyment4sub/applyment/").Post(context.Background(), opts)
			if tt.wantErr != "" {
				if !errors.Is(err, wechatpay.ErrTemplate) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("err = %v, want ErrTemplate saying %q", err, tt.wantErr)
				}
				if len(srv.Requests()) != before {
					t.Error("a request was sent")
				}
				return
			}
			var r *wechatpaytest.RecordedRequest
			for _, rr := range srv.Requests() {
				if strings.Contains(rr.RequestURI, "applyment4sub") && gjson.GetBytes(rr.Body, "name").String() != "" && rr.Header.Get("Wechatpay-Serial") == tt.want {
					r = &rr
				}
			}
			if r == nil {
				t.Fatalf("no request with Wechatpay-Serial %q was sent (err %v)", tt.want, err)
			}
			if vals := r.Header.Values("Wechatpay-Serial"); len(vals) != 1 {
				t.Errorf("Wechatpay-Serial sent %d times", len(vals))
			}
			if tt.certs[tt.want] == pub {
				if pt := oaepOpen(t, ownPlatformKey(t), gjson.GetBytes(r.Body, "name").String()); pt != "张三" {
					t.Errorf("decrypted %q", pt)
				}
			}
		})
	}
}

// TestEncryptDecrypt round-trips through the standard library on the other
// side: Encrypt for the platform key, Decrypt with the merchant key.
func TestEncryptDecrypt(t *testing.T) {
	t.Parallel()
	key := ownPlatformKey(t)
	srv := newServer(t, wechatpaytest.WithPlatformKey(key, ""))
	client := newClient(t, srv, nil)
	ct, serial, err := client.Encrypt(context.Background(), "张三")
	if err != nil || serial != srv.PlatformSerial() {
		t.Fatalf("Encrypt: %q %v", serial, err)
	}
	if pt := oaepOpen(t, key, ct); pt != "张三" {
		t.Errorf("Encrypt: decrypts to %q", pt)
	}
	raw, err := rsa.EncryptOAEP(sha1.New(), rand.Reader, &srv.MerchantKey().PublicKey, []byte("13900000000"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if pt, err := client.Decrypt(base64.StdEncoding.EncodeToString(raw)); err != nil || pt != "13900000000" {
		t.Errorf("Decrypt = %q, %v", pt, err)
	}
	// OAEP with SHA-256 instead of SHA-1 must not decrypt.
	sha256CT, _ := rsa.EncryptOAEP(sha256.New(), rand.Reader, &srv.MerchantKey().PublicKey, []byte("13900000000"), nil)
	for _, bad := range []string{"", "not base64!", base64.StdEncoding.EncodeToString(sha256CT)} {
		if _, err := client.Decrypt(bad); !errors.Is(err, wechatpay.ErrDecryption) || strings.Contains(err.Error(), "13900000000") {
			t.Errorf("Decrypt(%.12q) = %v, want ErrDecryption", bad, err)
		}
	}
	signerOnly := newClient(t, srv, func(c *wechatpay.Config) { c.PrivateKey = signerOnlyKey{srv.MerchantKey()} })
	if _, err := signerOnly.Decrypt(base64.StdEncoding.EncodeToString(raw)); !errors.Is(err, wechatpay.ErrDecryption) {
		t.Errorf("Decrypt with a sign-only key: %v", err)
	}
}

// signerOnlyKey is a crypto.Signer that cannot decrypt (an HSM key that
// only signs).
type signerOnlyKey struct{ k *rsa.PrivateKey }

func (s signerOnlyKey) Public() crypto.PublicKey { return s.k.Public() }
func (s signerOnlyKey) Sign(r io.Reader, d []byte, o crypto.SignerOpts) ([]byte, error) {
	return s.k.Sign(r, d, o)
}

// TestSensitiveNeverPlain: outside a request a Sensitive value neither
// marshals nor prints.
func TestSensitiveNeverPlain(t *testing.T) {
	t.Parallel()
	s := wechatpay.Sensitive("张三")
	if _, err := json.Marshal(map[string]any{"name": s}); err == nil {
		t.Error("json.Marshal of a Sensitive value succeeded")
	}
	for _, text := range []string{fmt.Sprint(s), fmt.Sprintf("%v %+v %#v %s %q", s, s, s, s, s), fmt.Sprintf("%v", struct{ S wechatpay.Sensitive }{s})} {
		if strings.Contains(text, "张三") {
			t.Errorf("formatted as %q", text)
		}
	}
	srv := newServer(t)
	client := newClient(t, srv, nil)
	_, err := client.Chain("v3/x").Post(context.Background(), wechatpay.Options{"json": map[wechatpay.Sensitive]int{"张三": 1}})
	if !errors.Is(err, wechatpay.ErrTemplate) || strings.Contains(err.Error(), "张三") {
		t.Errorf("Sensitive map key: %v", err)
	}
	type node struct {
		Next *node
		S    wechatpay.Sensitive
	}
	loop := &node{S: "x"}
	loop.Next = loop
	if _, err := client.Chain("v3/x").Post(context.Background(), wechatpay.Options{"json": loop}); !errors.Is(err, wechatpay.ErrTemplate) {
		t.Errorf("cyclic json: %v", err)
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
	if diff := cmp.Diff("张三", string(s)); diff != "" {
		t.Error(diff)
	}
}
