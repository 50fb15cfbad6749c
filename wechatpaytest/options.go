package wechatpaytest

import (
	"crypto/rsa"
	"net/http"
	"time"
)

// KeyMode says how the server presents its platform key to merchants.
type KeyMode int

const (
	// PublicKeyMode (the default) is the WeChat Pay public key mode: answers
	// carry a "PUB_KEY_ID_…" id in Wechatpay-Serial and GET v3/certificates
	// answers 404 RESOURCE_NOT_EXISTS.
	PublicKeyMode KeyMode = iota
	// CertificateMode is the platform certificate mode: the server makes a
	// self-signed X.509 certificate for its platform key, answers carry the
	// certificate serial (upper-case hex) in Wechatpay-Serial, and
	// GET v3/certificates serves the certificate encrypted under the APIv3 key.
	CertificateMode
)

// String returns the mode's name.
func (m KeyMode) String() string {
	switch m {
	case PublicKeyMode:
		return "public key mode"
	case CertificateMode:
		return "platform certificate mode"
	}
	return "unknown key mode"
}

// Option configures a [Server]; pass options to [NewServer] or [New].
type Option func(*config)

// config is what the options set; zero values mean defaults.
type config struct {
	mchid          string
	merchantKey    *rsa.PrivateKey
	merchantSerial string
	platformKey    *rsa.PrivateKey
	platformSerial string
	mode           KeyMode
	apiv3Key       string
	clock          func() time.Time
	basePath       string
	notifyClient   *http.Client
	addr           string
	rotation       bool // WithCertificateRotation (certificates.go)
	grayPeriod     bool // WithGrayPeriod (certificates.go)
	noCatalog      bool
}

// WithMchID sets the merchant id the server expects in Authorization and in
// request bodies. The default is "1230000109".
func WithMchID(mchid string) Option { return func(c *config) { c.mchid = mchid } }

// WithMerchantKey sets the merchant's private key and API certificate serial
// the server verifies requests against. An empty serial gets a generated one
// (40 upper-case hex characters). Without this option a key is generated.
func WithMerchantKey(key *rsa.PrivateKey, serial string) Option {
	return func(c *config) { c.merchantKey, c.merchantSerial = key, serial }
}

// WithPlatformKey sets the key the server signs its answers and callbacks
// with, and its serial: a public key id ("PUB_KEY_ID_" and digits) in
// [PublicKeyMode], or the certificate serial (upper-case hex, even length, no
// leading 00) in [CertificateMode]. An empty serial gets a generated one.
// Without this option a key is generated.
func WithPlatformKey(key *rsa.PrivateKey, serial string) Option {
	return func(c *config) { c.platformKey, c.platformSerial = key, serial }
}

// WithKeyMode chooses [PublicKeyMode] (the default) or [CertificateMode].
func WithKeyMode(m KeyMode) Option { return func(c *config) { c.mode = m } }

// WithAPIv3Key sets the 32-character APIv3 key used to encrypt callback
// resources and certificates. The default is generated.
func WithAPIv3Key(key string) Option { return func(c *config) { c.apiv3Key = key } }

// WithClock sets the server's clock, used to check request timestamps and to
// stamp answers, callbacks and certificates. The default is time.Now.
func WithClock(now func() time.Time) Option { return func(c *config) { c.clock = now } }

// WithBasePath serves everything under a path prefix such as "/hk/", as the
// overseas host does; Server.URL then ends with that prefix and requests
// outside it answer 404.
func WithBasePath(prefix string) Option { return func(c *config) { c.basePath = prefix } }

// WithNotifyClient sets the http.Client [Server.Notify] posts callbacks with,
// for example an httptest TLS server's Client(). By default the server uses
// its own client, whose idle connections Close releases.
func WithNotifyClient(c *http.Client) Option { return func(cfg *config) { cfg.notifyClient = c } }

// WithAddr makes the server listen on addr (such as "127.0.0.1:8080", or
// "127.0.0.1:0" for any free port) instead of a random loopback port. The
// standalone mock of the command-line tool uses it.
func WithAddr(addr string) Option { return func(c *config) { c.addr = addr } }
