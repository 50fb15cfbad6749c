package wechatpaytest

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// notifyParts builds a callback and returns its header and body.
func notifyParts(t *testing.T, s *Server, opts ...NotifyOption) (http.Header, []byte) {
	t.Helper()
	req, err := s.NewNotifyRequest(context.Background(), "http://merchant.test/", "TRANSACTION.SUCCESS", M{"out_trade_no": "T1"}, opts...)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(req.Body)
	return req.Header, body
}

func TestNotifyOptions(t *testing.T) {
	t.Parallel()
	clock := &fixedClock{t: time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)}
	s := newServer(t, WithClock(clock.now))

	h, body := notifyParts(t, s, NotifyProbe())
	if sig := h.Get(HeaderSignature); !strings.HasPrefix(sig, "WECHATPAY/SIGNTEST/") {
		t.Errorf("probe signature %q", sig)
	}
	if err := verifyAnswer(h, body, s.PlatformSerial(), s.PlatformKey(), s.now()); err == nil {
		t.Error("a probe signature verified")
	}

	h, body = notifyParts(t, s, NotifyClockSkew(-10*time.Minute))
	if ts, _ := strconv.ParseInt(h.Get(HeaderTimestamp), 10, 64); ts != s.now().Add(-10*time.Minute).Unix() {
		t.Errorf("timestamp %d", ts)
	}
	if err := verifyAnswer(h, body, s.PlatformSerial(), s.PlatformKey(), s.now().Add(-10*time.Minute)); err != nil {
		t.Errorf("skewed callback is not signed over its timestamp: %v", err)
	}

	other, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	h, body = notifyParts(t, s, NotifySignedBy(other, "SERIAL01"))
	if err := verifyAnswer(h, body, "SERIAL01", &other.PublicKey, s.now()); err != nil {
		t.Errorf("NotifySignedBy: %v", err)
	}

	h, body = notifyParts(t, s, NotifyAlterResource(func(r *EncryptedResource) { r.AssociatedData = "changed" }))
	if err := verifyAnswer(h, body, s.PlatformSerial(), s.PlatformKey(), s.now()); err != nil {
		t.Errorf("altered callback is not signed: %v", err)
	}
	var n notification
	if err := json.Unmarshal(body, &n); err != nil || n.Resource.AssociatedData != "changed" {
		t.Errorf("resource %+v, %v", n.Resource, err)
	}
	if _, err := Decrypt(s.APIv3Key(), n.Resource.Nonce, n.Resource.AssociatedData, n.Resource.Ciphertext); err == nil {
		t.Error("a resource with changed associated data decrypted")
	}

	if _, err := s.NewNotifyRequest(context.Background(), "http://x/", "TRANSACTION.SUCCESS", M{}, NotifySignedByCertificate()); err == nil {
		t.Error("NotifySignedByCertificate without a certificate succeeded")
	}
}

// listedCert is a serial and the PEM it decrypts to.
type listedCert struct{ Serial, PEM string }

// certificateList decrypts what GET v3/certificates serves.
func certificateList(t *testing.T, s *Server) []listedCert {
	t.Helper()
	a := call(t, s, "GET", RouteCertificates, nil)
	if a.status != 200 {
		t.Fatalf("%d %s", a.status, a.body)
	}
	mustVerify(t, s, a)
	var resp struct {
		Data []struct {
			SerialNo           string            `json:"serial_no"`
			EncryptCertificate EncryptedResource `json:"encrypt_certificate"`
		} `json:"data"`
	}
	if err := json.Unmarshal(a.body, &resp); err != nil {
		t.Fatal(err)
	}
	var out []listedCert
	for _, d := range resp.Data {
		ec := d.EncryptCertificate
		plain, err := Decrypt(s.APIv3Key(), ec.Nonce, ec.AssociatedData, ec.Ciphertext)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, listedCert{d.SerialNo, string(plain)})
	}
	return out
}

func TestCertificateRotation(t *testing.T) {
	t.Parallel()
	s := newServer(t, WithKeyMode(CertificateMode), WithCertificateRotation())
	listed := s.PlatformCertificates()
	if len(listed) != 2 || listed[0].Serial != s.PlatformSerial() || listed[1].Serial == s.PlatformSerial() {
		t.Fatalf("listed %+v", listed)
	}
	if !listed[1].NotBefore.Before(listed[0].NotBefore) || !listed[1].NotAfter.Before(listed[0].NotAfter) {
		t.Errorf("the previous certificate is not older: %v..%v vs %v..%v", listed[1].NotBefore, listed[1].NotAfter, listed[0].NotBefore, listed[0].NotAfter)
	}
	if listed[1].Key.Equal(listed[0].Key) {
		t.Error("both certificates share a key")
	}
	got := certificateList(t, s)
	want := []listedCert{{listed[0].Serial, string(listed[0].PEM)}, {listed[1].Serial, string(listed[1].PEM)}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("v3/certificates (-want +got):\n%s", diff)
	}
}

func TestGrayPeriod(t *testing.T) {
	t.Parallel()
	s := newServer(t, WithGrayPeriod())
	listed := s.PlatformCertificates()
	if len(listed) != 1 || strings.HasPrefix(listed[0].Serial, "PUB_KEY_ID_") {
		t.Fatalf("listed %+v", listed)
	}
	if diff := cmp.Diff([]listedCert{{listed[0].Serial, string(listed[0].PEM)}}, certificateList(t, s)); diff != "" {
		t.Errorf("v3/certificates (-want +got):\n%s", diff)
	}
	h, body := notifyParts(t, s, NotifySignedByCertificate())
	if err := verifyAnswer(h, body, listed[0].Serial, listed[0].Key, s.now()); err != nil {
		t.Errorf("certificate-signed callback: %v", err)
	}
	h, body = notifyParts(t, s)
	if err := verifyAnswer(h, body, s.PlatformSerial(), s.PlatformKey(), s.now()); err != nil {
		t.Errorf("public-key-signed callback: %v", err)
	}
	for _, opts := range [][]Option{{WithGrayPeriod(), WithKeyMode(CertificateMode)}, {WithCertificateRotation()}} {
		if s, err := New(opts...); err == nil {
			s.Close()
			t.Error("an impossible combination of options was accepted")
		}
	}
}
