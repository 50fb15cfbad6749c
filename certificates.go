package wechatpay

import (
	"cmp"
	"context"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wechatpay-chain/wechatpay/middleware"
	"github.com/wechatpay-chain/wechatpay/signer"
)

// CertificateDownloadInterval is the shortest time between two downloads
// of v3/certificates that an unknown serial can trigger. A forged serial
// therefore costs WeChat Pay at most one request a minute per client.
// [Client.RefreshCertificates] is not held back by it.
const CertificateDownloadInterval = time.Minute

// maxCertificatesAnswer bounds the v3/certificates answer read into memory.
const maxCertificatesAnswer = 1 << 20

// PlatformCertificate is a WeChat Pay platform certificate downloaded from
// v3/certificates, decrypted with the APIv3 key.
type PlatformCertificate struct {
	Serial        string            // serial_no, as in Wechatpay-Serial
	EffectiveTime time.Time         // effective_time
	ExpireTime    time.Time         // expire_time
	Certificate   *x509.Certificate // the parsed certificate
	PEM           []byte            // the decrypted PEM, as WeChat Pay sent it
}

// certificateStore holds the platform keys of one client: the static
// Config.Certs and the certificates downloaded from v3/certificates. It is
// safe for concurrent use. Downloads run in the goroutine of the call that
// needs them (no goroutine is started), single-flight, at most one per
// CertificateDownloadInterval unless forced.
type certificateStore struct {
	static   map[string]*rsa.PublicKey // Config.Certs; never changes, wins over downloads
	keys     *signer.KeyStore          // static plus downloaded
	apiV3Key string
	now      func() time.Time
	logger   *slog.Logger // nil logs nothing
	// fetch GETs v3/certificates without verification; set by the client.
	fetch func(ctx context.Context) (http.Header, []byte, error)

	downloaded atomic.Pointer[[]PlatformCertificate] // newest first

	mu     sync.Mutex
	flight *certificateFlight // the download in progress, or nil
	last   time.Time          // start of the last download that counts against the interval
}

// certificateFlight is one download that concurrent callers wait on.
type certificateFlight struct {
	done      chan struct{}
	err       error
	abandoned bool // the leader's context ended: its result says nothing about the download
}

// errDownloadHeldBack reports that a download was due but is rate limited.
var errDownloadHeldBack = errors.New("held back: v3/certificates was downloaded less than a minute ago")

func newCertificateStore(certs map[string]*rsa.PublicKey, apiV3Key string, now func() time.Time, logger *slog.Logger) (*certificateStore, error) {
	keys, err := signer.NewKeyStore(certs)
	if err != nil {
		return nil, err
	}
	return &certificateStore{static: maps.Clone(certs), keys: keys, apiV3Key: apiV3Key, now: now, logger: logger}, nil
}

// canDownload reports whether the store can fetch certificates at all.
func (s *certificateStore) canDownload() bool { return s.apiV3Key != "" && s.fetch != nil }

// certificates returns the downloaded certificates, newest first.
func (s *certificateStore) certificates() []PlatformCertificate {
	if p := s.downloaded.Load(); p != nil {
		return *p
	}
	return nil
}

// refresh downloads the certificates now, or waits for the download in
// flight. Unless force is set, a download is held back when the last one
// started less than CertificateDownloadInterval ago.
func (s *certificateStore) refresh(ctx context.Context, force bool) error {
	if !s.canDownload() {
		return errors.New("Config.APIv3Key is not set, so the platform certificates cannot be decrypted")
	}
	for {
		s.mu.Lock()
		if f := s.flight; f != nil {
			s.mu.Unlock()
			select {
			case <-f.done:
			case <-ctx.Done():
				return ctx.Err()
			}
			if f.abandoned && ctx.Err() == nil {
				continue // the leader gave up; try again under this context
			}
			return f.err
		}
		now := s.now()
		if !force && !s.last.IsZero() && now.Sub(s.last) < CertificateDownloadInterval {
			s.mu.Unlock()
			return errDownloadHeldBack
		}
		f := &certificateFlight{done: make(chan struct{})}
		prev := s.last
		s.flight, s.last = f, now
		s.mu.Unlock()
		return s.lead(ctx, f, prev)
	}
}

// lead runs the download of flight f and publishes its outcome.
func (s *certificateStore) lead(ctx context.Context, f *certificateFlight, prev time.Time) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic while downloading v3/certificates: %v", r)
		}
		s.mu.Lock()
		s.flight = nil
		if err != nil && ctx.Err() != nil {
			f.abandoned = true
			s.last = prev // a download the caller abandoned does not count
		}
		s.mu.Unlock()
		f.err = err
		close(f.done)
		if err != nil && !f.abandoned && s.logger != nil {
			s.logger.LogAttrs(ctx, slog.LevelError, "wechatpay: downloading platform certificates failed; keeping the previous set",
				slog.String("error", err.Error()), slog.Any("serials", s.keys.Serials()))
		}
	}()
	return s.download(ctx)
}

// download fetches, decrypts and verifies v3/certificates and installs the
// certificates it lists.
func (s *certificateStore) download(ctx context.Context) error {
	header, body, err := s.fetch(ctx)
	if err != nil {
		return err
	}
	now := s.now()
	certs, err := decryptCertificates(body, s.apiV3Key, now)
	if err != nil {
		return err
	}
	// Bootstrap: the answer must verify with the certificates it carries
	// (or with a key the client already trusts, as when a public key signs).
	candidate := keyMap(s.keys)
	for _, c := range certs {
		if _, fixed := s.static[c.Serial]; !fixed {
			candidate[c.Serial] = c.Certificate.PublicKey.(*rsa.PublicKey)
		}
	}
	check, err := signer.NewKeyStore(candidate)
	if err != nil {
		return err
	}
	if err := signer.VerifyHeaders(check, header, body, now); err != nil {
		return fmt.Errorf("the v3/certificates answer does not verify with the certificates it lists: %s", plainText(err))
	}
	next := maps.Clone(s.static)
	if next == nil {
		next = map[string]*rsa.PublicKey{}
	}
	for _, c := range certs {
		if _, fixed := s.static[c.Serial]; !fixed {
			next[c.Serial] = c.Certificate.PublicKey.(*rsa.PublicKey)
		}
	}
	if err := s.keys.Replace(next); err != nil {
		return err
	}
	s.downloaded.Store(&certs)
	if s.logger != nil {
		serials := make([]string, len(certs))
		for i, c := range certs {
			serials[i] = c.Serial
		}
		s.logger.LogAttrs(ctx, slog.LevelDebug, "wechatpay: platform certificates downloaded", slog.Any("serials", serials))
	}
	return nil
}

// decryptCertificates reads a v3/certificates answer: every entry is
// decrypted with the APIv3 key, parsed, and must carry an RSA key and the
// serial it is listed under. Expired certificates are left out. The result
// is sorted newest (latest effective time) first.
func decryptCertificates(body []byte, apiV3Key string, now time.Time) ([]PlatformCertificate, error) {
	var answer struct {
		Data []struct {
			SerialNo      string `json:"serial_no"`
			EffectiveTime string `json:"effective_time"`
			ExpireTime    string `json:"expire_time"`
			Encrypted     struct {
				Algorithm      string `json:"algorithm"`
				Nonce          string `json:"nonce"`
				AssociatedData string `json:"associated_data"`
				Ciphertext     string `json:"ciphertext"`
			} `json:"encrypt_certificate"`
		} `json:"data"`
	}
	if err := json.Unmarshal(body, &answer); err != nil {
		return nil, tagged("the v3/certificates answer is not the expected JSON: "+err.Error(), ErrDecryption)
	}
	var out []PlatformCertificate
	for i, d := range answer.Data {
		e := d.Encrypted
		if e.Algorithm != algorithmAEAD {
			return nil, tagged(fmt.Sprintf("certificate %d (%s): unsupported algorithm %q", i, d.SerialNo, e.Algorithm), ErrDecryption)
		}
		pemBytes, err := signer.DecryptAEAD(apiV3Key, e.Nonce, e.AssociatedData, e.Ciphertext)
		if err != nil {
			return nil, tagged(fmt.Sprintf("certificate %d (%s): %s", i, d.SerialNo, plainText(err)), err)
		}
		cert, err := signer.LoadCertificate(pemBytes)
		if err != nil {
			return nil, fmt.Errorf("certificate %d (%s): %s", i, d.SerialNo, plainText(err))
		}
		if got := signer.CertificateSerial(cert); got != d.SerialNo {
			return nil, fmt.Errorf("certificate %d: listed as %q but its serial is %q", i, d.SerialNo, got)
		}
		if _, ok := cert.PublicKey.(*rsa.PublicKey); !ok {
			return nil, fmt.Errorf("certificate %s holds a %T, want an RSA key", d.SerialNo, cert.PublicKey)
		}
		pc := PlatformCertificate{
			Serial:        d.SerialNo,
			EffectiveTime: parseTimeOr(d.EffectiveTime, cert.NotBefore),
			ExpireTime:    parseTimeOr(d.ExpireTime, cert.NotAfter),
			Certificate:   cert,
			PEM:           pemBytes,
		}
		if !pc.ExpireTime.After(now) {
			continue
		}
		out = append(out, pc)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("the v3/certificates answer lists no certificate that is still valid (%d listed)", len(answer.Data))
	}
	slices.SortStableFunc(out, func(a, b PlatformCertificate) int {
		if c := b.EffectiveTime.Compare(a.EffectiveTime); c != 0 {
			return c
		}
		return cmp.Or(b.ExpireTime.Compare(a.ExpireTime), strings.Compare(a.Serial, b.Serial))
	})
	return out, nil
}

// keyMap copies the content of a key store.
func keyMap(ks *signer.KeyStore) map[string]*rsa.PublicKey {
	m := map[string]*rsa.PublicKey{}
	for _, serial := range ks.Serials() {
		if k, ok := ks.Get(serial); ok {
			m[serial] = k
		}
	}
	return m
}

// parseTimeOr parses an RFC 3339 time, or returns fallback.
func parseTimeOr(s string, fallback time.Time) time.Time {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t
	}
	return fallback
}

// verifier returns the Verifier for a call under ctx: an unknown
// certificate serial may download v3/certificates under that context.
func (s *certificateStore) verifier(ctx context.Context) signer.Verifier {
	return storeVerifier{s: s, ctx: ctx}
}

// storeVerifier is a certificateStore bound to one call's context.
var _ signer.DigestVerifier = storeVerifier{}

type storeVerifier struct {
	s   *certificateStore
	ctx context.Context
}

// Verify implements signer.Verifier. A serial the store does not know,
// shaped like a platform certificate serial, makes it download the
// certificates (single-flight, rate limited) and verify again.
func (v storeVerifier) Verify(serial string, message []byte, signature string) error {
	return v.VerifyDigest(serial, sha256.Sum256(message), signature)
}

// VerifyDigest implements signer.DigestVerifier, like Verify.
func (v storeVerifier) VerifyDigest(serial string, digest [32]byte, signature string) error {
	err := v.s.keys.VerifyDigest(serial, digest, signature)
	if err == nil || !v.shouldDownload(serial, signature, err) {
		return err
	}
	rerr := v.s.refresh(v.ctx, false)
	if again := v.s.keys.VerifyDigest(serial, digest, signature); !isUnknownSerial(again) || rerr == nil {
		return again // known now (maybe thanks to a concurrent download)
	}
	return &signer.VerificationError{
		Rule:   signer.RuleUnknownSerial,
		Detail: fmt.Sprintf("no key for serial %q; downloading v3/certificates: %s", serial, plainText(rerr)),
		Err:    rerr,
	}
}

// shouldDownload reports whether err (from the static lookup) is an
// unknown serial worth a download: the client can decrypt certificates,
// the serial looks like a certificate serial (not a public key id), and the
// signature is not a WeChat Pay probe.
func (v storeVerifier) shouldDownload(serial, signature string, err error) bool {
	return isUnknownSerial(err) && v.s.canDownload() && isCertificateSerial(serial) && !isProbeSignature(signature)
}

// isUnknownSerial reports whether err is a verification failure for lack of
// a key.
func isUnknownSerial(err error) bool {
	ve, ok := errors.AsType[*signer.VerificationError](err)
	return ok && ve.Rule == signer.RuleUnknownSerial
}

// isCertificateSerial reports whether s has the shape of a platform
// certificate serial: upper-case hex of even length, at most 40 bytes.
func isCertificateSerial(s string) bool {
	if s == "" || len(s)%2 != 0 || len(s) > 80 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < '0' || c > '9') && (c < 'A' || c > 'F') {
			return false
		}
	}
	return true
}

// verifierMiddleware is the "verifier" stack entry of a client whose store
// can download certificates: the standard verifier middleware, bound per
// request to the store and the request's context.
func (s *certificateStore) verifierMiddleware(cfg middleware.VerifierConfig) middleware.Middleware {
	return func(next http.RoundTripper) http.RoundTripper {
		return roundTripperFunc(func(req *http.Request) (*http.Response, error) {
			bound := cfg
			bound.Verifier = s.verifier(req.Context())
			return middleware.NewVerifier(bound)(next).RoundTrip(req)
		})
	}
}

// roundTripperFunc adapts a function to http.RoundTripper.
type roundTripperFunc func(*http.Request) (*http.Response, error)

func (f roundTripperFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// fetchCertificates GETs v3/certificates through the middleware stack
// (logged, signed) but without the verifier: the store verifies the answer
// itself with the certificates it carries. It bypasses the MaxConcurrent
// slots and retries, as it may run inside another call's verification.
func (c *Client) fetchCertificates(ctx context.Context) (http.Header, []byte, error) {
	const path = "v3/certificates"
	req, err := http.NewRequestWithContext(middleware.WithoutVerification(ctx), http.MethodGet, c.baseURL+path, nil)
	if err != nil {
		return nil, nil, err
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", userAgent)
	// Straight to the stack: the MaxConcurrent slots sit outside it, and the
	// call that needs this download may hold the last one.
	direct := &http.Client{Transport: c.stack, Timeout: c.httpClient.Timeout, CheckRedirect: c.httpClient.CheckRedirect}
	resp, err := direct.Do(req)
	if err != nil {
		if ue, ok := errors.AsType[*url.Error](err); ok {
			err = ue.Err
		}
		return nil, nil, fmt.Errorf("GET %s: %w", path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxCertificatesAnswer+1))
	if err != nil {
		return nil, nil, fmt.Errorf("GET %s: reading the answer: %w", path, err)
	}
	if len(body) > maxCertificatesAnswer {
		return nil, nil, fmt.Errorf("GET %s: answer over %d bytes", path, maxCertificatesAnswer)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		apiErr := newAPIError(&preparedRequest{method: http.MethodGet, path: path, tmpl: path}, resp.StatusCode, resp.Header, body)
		if apiErr.Code == "RESOURCE_NOT_EXISTS" {
			return nil, nil, fmt.Errorf("%w (this merchant has no platform certificates: it uses the WeChat Pay public key, whose PUB_KEY_ID_… id and key belong in Config.Certs)", apiErr)
		}
		return nil, nil, apiErr
	}
	return resp.Header, body, nil
}

// RefreshCertificates downloads v3/certificates now, decrypts the
// certificates with Config.APIv3Key, checks that the answer verifies with
// them, and replaces the downloaded set (the static Config.Certs stay).
// On failure the previous set is kept and the error says why. Clients
// refresh by themselves when an answer or callback names an unknown
// certificate serial; call this for a schedule of your own (WeChat Pay
// advises at least every 12 hours). It joins a download already in flight.
func (c *Client) RefreshCertificates(ctx context.Context) error {
	if ctx == nil {
		return errNilContext
	}
	if err := c.certs.refresh(ctx, true); err != nil {
		return fmt.Errorf("wechatpay: refreshing platform certificates: %w", plainError{err})
	}
	return nil
}

// PlatformCertificates returns the certificates downloaded from
// v3/certificates, newest first; nil before the first download.
func (c *Client) PlatformCertificates() []PlatformCertificate {
	return slices.Clone(c.certs.certificates())
}
