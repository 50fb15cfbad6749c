package wechatpaytest

import (
	"crypto/rsa"
	"crypto/x509"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultMchID is the merchant id a server expects unless given WithMchID.
const DefaultMchID = "1230000109"

// Server is an in-process WeChat Pay APIv3 server listening on 127.0.0.1.
// It verifies every request's Authorization as WeChat Pay does, signs every
// answer with its platform key, serves a few built-in routes and whatever
// [Server.Handle] adds, records requests, injects faults and sends signed,
// encrypted callbacks. A Server is safe for concurrent use; Close it when
// done.
type Server struct {
	// URL is the base URL to give a client: "http://127.0.0.1:port/" plus
	// the base path, always ending in "/".
	URL string

	mchid          string
	merchantKey    *rsa.PrivateKey
	merchantSerial string
	merchantPEM    []byte
	platformKey    *rsa.PrivateKey
	platformSerial string
	platformPEM    []byte
	mode           KeyMode
	cert           *x509.Certificate
	certPEM        []byte
	extraCerts     []platformCert // listed besides cert (certificates.go)
	apiv3Key       string
	clock          func() time.Time
	basePath       string // starts and ends with "/"

	srv          *httptest.Server
	notifyClient *http.Client
	ownTransport *http.Transport // the notify client's, when the server made it
	closing      chan struct{}
	closeOnce    sync.Once
	seq          atomic.Uint64
	builtins     []route
	bills        billFiles // the files the bill routes point to (bills.go)
	noCatalog    bool      // WithoutCatalog

	testHookDelay func() // called when a request starts a Fault.Delay; set by tests before use

	mu      sync.Mutex // guards everything below
	routes  []route
	faults  []*faultEntry
	records []*RecordedRequest
	orders  map[string]*order
	refunds map[string]M
}

// NewServer starts a server configured by opts. Like httptest.NewServer it
// panics if it cannot start, here also when an option is invalid (a test
// mistake); use [New] to get an error instead.
func NewServer(opts ...Option) *Server {
	s, err := New(opts...)
	if err != nil {
		panic(err)
	}
	return s
}

// New starts a server configured by opts, or says which option is invalid.
func New(opts ...Option) (*Server, error) {
	c := config{mchid: DefaultMchID, clock: time.Now}
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	if c.clock == nil {
		c.clock = time.Now
	}
	s := &Server{
		mchid:    c.mchid,
		mode:     c.mode,
		clock:    c.clock,
		closing:  make(chan struct{}),
		orders:   map[string]*order{},
		refunds:  map[string]M{},
		apiv3Key: c.apiv3Key,

		noCatalog: c.noCatalog,
	}
	if err := checkMerchantSerial(s.mchid); err != nil {
		return nil, fmt.Errorf("wechatpaytest: mchid %q cannot be used in an Authorization header", s.mchid)
	}
	if err := s.setupKeys(c); err != nil {
		return nil, err
	}
	if err := s.setupExtraCertificates(c); err != nil {
		return nil, err
	}
	if s.apiv3Key == "" {
		s.apiv3Key = nonce(32)
	} else if len(s.apiv3Key) != 32 {
		return nil, fmt.Errorf("wechatpaytest: the APIv3 key must be 32 characters, got %d", len(s.apiv3Key))
	}
	base, err := cleanBasePath(c.basePath)
	if err != nil {
		return nil, err
	}
	s.basePath = base
	if c.notifyClient != nil {
		s.notifyClient = c.notifyClient
	} else {
		s.ownTransport = &http.Transport{MaxIdleConnsPerHost: 4, IdleConnTimeout: 30 * time.Second}
		s.notifyClient = &http.Client{Transport: s.ownTransport, Timeout: 30 * time.Second}
	}
	s.builtins = s.builtinRoutes()

	s.srv = httptest.NewUnstartedServer(http.HandlerFunc(s.serveHTTP))
	if c.addr != "" {
		l, err := net.Listen("tcp", c.addr)
		if err != nil {
			s.srv.Close()
			return nil, fmt.Errorf("wechatpaytest: listening on %s: %w", c.addr, err)
		}
		s.srv.Listener.Close()
		s.srv.Listener = l
	}
	s.srv.Start()
	s.URL = s.srv.URL + s.basePath
	return s, nil
}

// setupKeys fills in the keys, serials and certificate.
func (s *Server) setupKeys(c config) error {
	s.merchantKey, s.platformKey = c.merchantKey, c.platformKey
	if s.merchantKey == nil || s.platformKey == nil {
		m, p, err := sharedKeys()
		if err != nil {
			return err
		}
		if s.merchantKey == nil {
			s.merchantKey = m
		}
		if s.platformKey == nil {
			s.platformKey = p
		}
	}
	for _, k := range []struct {
		name string
		key  *rsa.PrivateKey
	}{{"merchant", s.merchantKey}, {"platform", s.platformKey}} {
		if k.key.N == nil {
			return fmt.Errorf("wechatpaytest: the %s key has no modulus", k.name)
		}
		if bits := k.key.N.BitLen(); bits < 2048 {
			return fmt.Errorf("wechatpaytest: the %s key has %d bits; WECHATPAY2-SHA256-RSA2048 needs at least 2048", k.name, bits)
		}
		if err := k.key.Validate(); err != nil {
			return fmt.Errorf("wechatpaytest: the %s key is invalid: %w", k.name, err)
		}
	}
	s.merchantSerial = c.merchantSerial
	if s.merchantSerial == "" {
		s.merchantSerial = formatSerial(newCertSerial())
	} else if err := checkMerchantSerial(s.merchantSerial); err != nil {
		return err
	}
	var err error
	if s.merchantPEM, err = pkcs8PEM(s.merchantKey); err != nil {
		return err
	}
	if s.platformPEM, err = spkiPEM(&s.platformKey.PublicKey); err != nil {
		return err
	}
	switch s.mode {
	case PublicKeyMode:
		s.platformSerial = c.platformSerial
		if s.platformSerial == "" {
			s.platformSerial = newPublicKeyID()
		} else if err := checkPublicKeyID(s.platformSerial); err != nil {
			return err
		}
	case CertificateMode:
		serial := newCertSerial()
		if c.platformSerial != "" {
			if serial, err = parseCertSerial(c.platformSerial); err != nil {
				return err
			}
		}
		if s.cert, s.certPEM, err = selfSignedCertificate(s.platformKey, serial, s.clock()); err != nil {
			return err
		}
		s.platformSerial = formatSerial(s.cert.SerialNumber)
	default:
		return fmt.Errorf("wechatpaytest: unknown key mode %d", int(s.mode))
	}
	if s.platformSerial == s.merchantSerial {
		return fmt.Errorf("wechatpaytest: the platform and merchant serials are both %q", s.merchantSerial)
	}
	return nil
}

// cleanBasePath makes "", "/", "hk", "/hk", "/hk/" into "/" or "/hk/".
func cleanBasePath(p string) (string, error) {
	p = strings.Trim(p, "/")
	if p == "" {
		return "/", nil
	}
	for _, seg := range strings.Split(p, "/") {
		if seg == "" || seg == "." || seg == ".." {
			return "", fmt.Errorf("wechatpaytest: base path %q has an empty or dot segment", p)
		}
	}
	if strings.ContainsAny(p, "?#%\\ ") {
		return "", fmt.Errorf("wechatpaytest: base path %q must be a plain path", p)
	}
	return "/" + p + "/", nil
}

// Close stops the server, ends pending delays, and closes the idle
// connections of the callback client it made. It may be called more than
// once.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		close(s.closing)
		s.srv.Close()
		if s.ownTransport != nil {
			s.ownTransport.CloseIdleConnections()
		}
	})
}

// MchID returns the merchant id the server expects.
func (s *Server) MchID() string { return s.mchid }

// MerchantSerial returns the merchant API certificate serial the server
// expects in Authorization's serial_no.
func (s *Server) MerchantSerial() string { return s.merchantSerial }

// MerchantKey returns the merchant's private key, for signing requests.
func (s *Server) MerchantKey() *rsa.PrivateKey { return s.merchantKey }

// MerchantKeyPEM returns the merchant's private key as PKCS#8 PEM, the form
// of apiclient_key.pem.
func (s *Server) MerchantKeyPEM() []byte { return append([]byte(nil), s.merchantPEM...) }

// PlatformSerial returns the Wechatpay-Serial the server's answers carry:
// the WeChat Pay public key id, or the platform certificate serial.
func (s *Server) PlatformSerial() string { return s.platformSerial }

// PlatformKey returns the public key that verifies the server's answers and
// callbacks.
func (s *Server) PlatformKey() *rsa.PublicKey { return &s.platformKey.PublicKey }

// PlatformPublicKeyPEM returns the platform public key as SPKI PEM, the form
// of the WeChat Pay public key file.
func (s *Server) PlatformPublicKeyPEM() []byte { return append([]byte(nil), s.platformPEM...) }

// PlatformCertificatePEM returns the platform certificate in
// [CertificateMode], nil otherwise.
func (s *Server) PlatformCertificatePEM() []byte {
	if s.certPEM == nil {
		return nil
	}
	return append([]byte(nil), s.certPEM...)
}

// KeyMode returns the server's key mode.
func (s *Server) KeyMode() KeyMode { return s.mode }

// Certs returns {PlatformSerial: PlatformKey}, ready for a client's
// configuration.
func (s *Server) Certs() map[string]*rsa.PublicKey {
	return map[string]*rsa.PublicKey{s.platformSerial: s.PlatformKey()}
}

// APIv3Key returns the 32-character APIv3 key.
func (s *Server) APIv3Key() string { return s.apiv3Key }

// now reads the server's clock.
func (s *Server) now() time.Time { return s.clock() }

// newRequestID returns a Request-ID unique within the process run.
func (s *Server) newRequestID() string {
	return fmt.Sprintf("08%014X%s", s.seq.Add(1), strings.ToUpper(randomString(24, "0123456789abcdef")))
}
