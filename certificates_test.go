package wechatpay_test

import (
	"context"
	"crypto/rsa"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/wechatpay-chain/wechatpay"
	"github.com/wechatpay-chain/wechatpay/wechatpaytest"
)

// certificateDownloads counts the GET v3/certificates the server received.
func certificateDownloads(srv *wechatpaytest.Server) int {
	n := 0
	for _, r := range srv.Requests() {
		if r.Method == http.MethodGet && strings.HasSuffix(r.RequestURI, "v3/certificates") {
			n++
		}
	}
	return n
}

// seed sends the seed POST, whose 204 answer is signed and verified.
func seed(ctx context.Context, c *wechatpay.Client) error {
	_, err := c.Chain(seedTemplate).Post(ctx, seedOptions())
	return err
}

// TestCertificateModeBootstrap: a client with only the APIv3 key downloads
// the certificates on the first answer, once, and verifies with them.
func TestCertificateModeBootstrap(t *testing.T) {
	t.Parallel()
	srv := newServer(t, wechatpaytest.WithKeyMode(wechatpaytest.CertificateMode))
	client := newClient(t, srv, func(c *wechatpay.Config) { c.Certs = nil })
	ctx := context.Background()
	for range 3 {
		if err := seed(ctx, client); err != nil {
			t.Fatal(err)
		}
	}
	if n := certificateDownloads(srv); n != 1 {
		t.Errorf("%d downloads, want 1", n)
	}
	got := client.PlatformCertificates()
	if len(got) != 1 || got[0].Serial != srv.PlatformSerial() || string(got[0].PEM) != string(srv.PlatformCertificatePEM()) {
		t.Fatalf("PlatformCertificates = %+v", got)
	}
}

// TestCertificateRotation: a client that knew the older certificate meets
// answers signed by the new one, downloads both and carries on; sensitive
// fields then use the newest.
func TestCertificateRotation(t *testing.T) {
	t.Parallel()
	srv := newServer(t, wechatpaytest.WithKeyMode(wechatpaytest.CertificateMode), wechatpaytest.WithCertificateRotation())
	listed := srv.PlatformCertificates()
	if len(listed) != 2 || listed[0].Serial != srv.PlatformSerial() {
		t.Fatalf("server lists %+v", listed)
	}
	old := listed[1]
	client := newClient(t, srv, func(c *wechatpay.Config) { c.Certs = map[string]*rsa.PublicKey{old.Serial: old.Key} })
	ctx := context.Background()
	if err := seed(ctx, client); err != nil {
		t.Fatalf("answer signed by the new certificate: %v", err)
	}
	var serials []string
	for _, c := range client.PlatformCertificates() {
		serials = append(serials, c.Serial)
	}
	if diff := cmp.Diff([]string{srv.PlatformSerial(), old.Serial}, serials); diff != "" {
		t.Errorf("downloaded (-want +got):\n%s", diff)
	}
	if _, serial, err := client.Encrypt(ctx, "张三"); err != nil || serial != srv.PlatformSerial() {
		t.Errorf("Encrypt chose %q (%v), want the newest %q", serial, err, srv.PlatformSerial())
	}
}

// TestCertificateDownloadRateLimit: forged certificate serials cause at most
// one download per minute; a later minute allows another; callbacks from
// the real certificate keep working.
func TestCertificateDownloadRateLimit(t *testing.T) {
	t.Parallel()
	var now atomic.Int64
	now.Store(time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC).Unix())
	clock := func() time.Time { return time.Unix(now.Load(), 0) }
	srv := newServer(t, wechatpaytest.WithKeyMode(wechatpaytest.CertificateMode), wechatpaytest.WithClock(clock))
	client := newClient(t, srv, func(c *wechatpay.Config) { c.Clock = clock })
	ctx := context.Background()
	forged := func() error {
		req, err := srv.NewNotifyRequest(ctx, "http://merchant.test/", "TRANSACTION.SUCCESS", txResource(),
			wechatpaytest.NotifySignedBy(attackerKey(t), "5157F09EFDC096DE15EBE81A47057A7232F1B8E1"))
		if err != nil {
			t.Fatal(err)
		}
		_, err = client.ParseNotification(req)
		return err
	}
	for i := range 5 {
		if err := forged(); !errors.Is(err, wechatpay.ErrVerification) {
			t.Fatalf("forged callback %d: %v", i, err)
		}
	}
	if n := certificateDownloads(srv); n != 1 {
		t.Errorf("%d downloads for 5 forged serials within a minute, want 1", n)
	}
	now.Add(61)
	if err := forged(); !errors.Is(err, wechatpay.ErrVerification) {
		t.Fatal(err)
	}
	if n := certificateDownloads(srv); n != 2 {
		t.Errorf("%d downloads after a minute, want 2", n)
	}
	req, _ := srv.NewNotifyRequest(ctx, "http://merchant.test/", "TRANSACTION.SUCCESS", txResource())
	if _, err := client.ParseNotification(req); err != nil {
		t.Errorf("genuine callback: %v", err)
	}
}

// TestCertificateDownloadSingleFlight: many callbacks arriving at once with
// a serial the client has yet to learn share one download.
func TestCertificateDownloadSingleFlight(t *testing.T) {
	t.Parallel()
	srv := newServer(t, wechatpaytest.WithKeyMode(wechatpaytest.CertificateMode))
	srv.Fault(http.MethodGet, wechatpaytest.RouteCertificates, wechatpaytest.Fault{Delay: 50 * time.Millisecond})
	client := newClient(t, srv, func(c *wechatpay.Config) { c.Certs = nil })
	h := &captured{}
	merchant := httptest.NewServer(client.NotificationHandler(h.fn))
	defer merchant.Close()
	var wg sync.WaitGroup
	statuses := make([]int, 20)
	for i := range statuses {
		wg.Go(func() {
			resp, err := srv.Notify(context.Background(), merchant.URL, "TRANSACTION.SUCCESS", txResource())
			if err != nil {
				t.Error(err)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			statuses[i] = resp.StatusCode
		})
	}
	wg.Wait()
	for i, s := range statuses {
		if s != http.StatusNoContent {
			t.Errorf("callback %d: %d", i, s)
		}
	}
	if n := certificateDownloads(srv); n != 1 {
		t.Errorf("%d downloads, want 1", n)
	}
}

// TestCertificateDownloadFailureKeepsSet: a failed or forged download is
// reported (error and log) and the previous keys keep working.
func TestCertificateDownloadFailureKeepsSet(t *testing.T) {
	t.Parallel()
	srv := newServer(t, wechatpaytest.WithKeyMode(wechatpaytest.CertificateMode))
	var logBuf syncBuffer
	client := newClient(t, srv, func(c *wechatpay.Config) {
		c.Logger = slog.New(slog.NewTextHandler(&logBuf, nil))
	})
	ctx := context.Background()
	for _, f := range []struct {
		fault wechatpaytest.Fault
		want  string
	}{
		{wechatpaytest.Fault{Status: 500, Times: 1}, "SYSTEM_ERROR"},
		{wechatpaytest.Fault{TamperSignature: true, Times: 1}, "does not verify"},
		{wechatpaytest.Fault{TamperBody: true, Times: 1}, "does not verify"},
	} {
		srv.Fault(http.MethodGet, wechatpaytest.RouteCertificates, f.fault)
		err := client.RefreshCertificates(ctx)
		if err == nil || !strings.Contains(err.Error(), f.want) || strings.Count(err.Error(), "wechatpay:") != 1 {
			t.Errorf("fault %+v: RefreshCertificates = %v, want an error naming %q", f.fault, err, f.want)
		}
		if err := seed(ctx, client); err != nil {
			t.Errorf("after a failed refresh the old key stopped working: %v", err)
		}
	}
	if log := logBuf.String(); strings.Count(log, "level=ERROR") != 3 || strings.Contains(log, srv.APIv3Key()) {
		t.Errorf("log %q: want three error records and no APIv3 key", log)
	}
	if err := client.RefreshCertificates(ctx); err != nil {
		t.Fatal(err)
	}
	if len(client.PlatformCertificates()) != 1 {
		t.Error("a good refresh installed nothing")
	}
}

// TestGrayPeriod: a client with the public key and the APIv3 key accepts
// callbacks signed by the public key (no download) and by the certificate
// (one download); a public-key-only client never calls v3/certificates.
func TestGrayPeriod(t *testing.T) {
	t.Parallel()
	srv := newServer(t, wechatpaytest.WithGrayPeriod())
	ctx := context.Background()
	parse := func(c *wechatpay.Client, opts ...wechatpaytest.NotifyOption) error {
		req, err := srv.NewNotifyRequest(ctx, "http://merchant.test/", "TRANSACTION.SUCCESS", txResource(), opts...)
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.ParseNotification(req)
		return err
	}
	migrating := newClient(t, srv, nil)
	if err := parse(migrating); err != nil || certificateDownloads(srv) != 0 {
		t.Fatalf("public-key callback: %v, %d downloads", err, certificateDownloads(srv))
	}
	if err := seed(ctx, migrating); err != nil || certificateDownloads(srv) != 0 {
		t.Fatalf("public-key answer: %v, %d downloads", err, certificateDownloads(srv))
	}
	if err := parse(migrating, wechatpaytest.NotifySignedByCertificate()); err != nil {
		t.Fatalf("certificate callback: %v", err)
	}
	if n := certificateDownloads(srv); n != 1 {
		t.Errorf("%d downloads, want 1", n)
	}
	if err := parse(migrating, wechatpaytest.NotifySignedByCertificate()); err != nil || certificateDownloads(srv) != 1 {
		t.Errorf("second certificate callback: %v, %d downloads", err, certificateDownloads(srv))
	}

	keyOnly := newClient(t, srv, func(c *wechatpay.Config) { c.APIv3Key = "" })
	before := certificateDownloads(srv)
	if err := parse(keyOnly, wechatpaytest.NotifySignedByCertificate()); !errors.Is(err, wechatpay.ErrVerification) {
		t.Errorf("public-key-only client: %v, want ErrVerification", err)
	}
	if err := keyOnly.RefreshCertificates(ctx); err == nil {
		t.Error("RefreshCertificates without APIv3Key succeeded")
	}
	if n := certificateDownloads(srv); n != before {
		t.Errorf("public-key-only client downloaded certificates")
	}
}

// TestRefreshCertificatesPublicKeyMode: the RESOURCE_NOT_EXISTS answer of a
// public-key merchant is explained, not a mystery.
func TestRefreshCertificatesPublicKeyMode(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	client := newClient(t, srv, nil)
	err := client.RefreshCertificates(context.Background())
	var apiErr *wechatpay.APIError
	if !errors.As(err, &apiErr) || apiErr.Code != "RESOURCE_NOT_EXISTS" || !strings.Contains(err.Error(), "public key") {
		t.Errorf("err = %v", err)
	}
}

// TestCertificateDownloadInsideMaxConcurrent: the download an answer needs
// runs inside that call's verification, so it must not wait for a
// MaxConcurrent slot the call itself holds.
func TestCertificateDownloadInsideMaxConcurrent(t *testing.T) {
	t.Parallel()
	srv := newServer(t, wechatpaytest.WithKeyMode(wechatpaytest.CertificateMode))
	client := newClient(t, srv, func(c *wechatpay.Config) { c.Certs, c.MaxConcurrent = nil, 1 })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := seed(ctx, client); err != nil {
		t.Fatalf("with MaxConcurrent 1: %v", err)
	}
	if n := certificateDownloads(srv); n != 1 {
		t.Errorf("%d downloads, want 1", n)
	}
}

// TestProbeNeverDownloads: a probe naming an unknown certificate serial,
// and a public key id the client lacks, fail without a download.
func TestProbeNeverDownloads(t *testing.T) {
	t.Parallel()
	srv := newServer(t, wechatpaytest.WithKeyMode(wechatpaytest.CertificateMode))
	client := newClient(t, srv, func(c *wechatpay.Config) { c.Certs = nil })
	ctx := context.Background()
	for _, opts := range [][]wechatpaytest.NotifyOption{
		{wechatpaytest.NotifyProbe()},
		{wechatpaytest.NotifySignedBy(attackerKey(t), "PUB_KEY_ID_0114232134912410000000000000")},
	} {
		req, err := srv.NewNotifyRequest(ctx, "http://merchant.test/", "TRANSACTION.SUCCESS", txResource(), opts...)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := client.ParseNotification(req); !errors.Is(err, wechatpay.ErrVerification) {
			t.Errorf("err = %v", err)
		}
	}
	if n := certificateDownloads(srv); n != 0 {
		t.Errorf("%d downloads, want 0", n)
	}
}

// TestAbandonedDownloadDoesNotCount: a download whose caller gave up does
// not hold the next caller back for a minute.
func TestAbandonedDownloadDoesNotCount(t *testing.T) {
	t.Parallel()
	srv := newServer(t, wechatpaytest.WithKeyMode(wechatpaytest.CertificateMode))
	srv.Fault(http.MethodGet, wechatpaytest.RouteCertificates, wechatpaytest.Fault{Delay: 5 * time.Second, Times: 1})
	client := newClient(t, srv, func(c *wechatpay.Config) { c.Certs = nil })
	req, err := srv.NewNotifyRequest(context.Background(), "http://merchant.test/", "TRANSACTION.SUCCESS", txResource())
	if err != nil {
		t.Fatal(err)
	}
	body := readBody(req)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := client.ParseNotificationBytes(ctx, req.Header, body); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("abandoned: %v, want DeadlineExceeded", err)
	}
	if _, err := client.ParseNotificationBytes(context.Background(), req.Header, body); err != nil {
		t.Fatalf("next caller: %v", err)
	}
	if n := certificateDownloads(srv); n != 2 {
		t.Errorf("%d downloads, want 2", n)
	}
}
