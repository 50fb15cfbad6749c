package wechatpay

import (
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wechatpay-chain/wechatpay/signer"
)

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
