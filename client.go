package wechatpay

import (
	"crypto/rsa"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"time"

	"github.com/go-resty/resty/v2"

	"github.com/wechatpay-chain/wechatpay/middleware"
	"github.com/wechatpay-chain/wechatpay/signer"
)

// Client calls WeChat Pay APIv3 endpoints, and APIv2 endpoints through
// paths starting with "v2/". Every request passes through its middleware
// stack, which logs it ("log"), signs it ("signer") and verifies the answer
// ("verifier"), the signer and verifier entries serving both API versions.
// A Client is safe for concurrent use.
type Client struct {
	mchID      string
	baseURL    string // absolute, ends with "/"
	stack      *middleware.Stack
	httpClient *http.Client
	rc         *resty.Client
	retries    int        // resty's retry count
	maxBody    int64      // Config.MaxResponseBytes, defaulted
	pubKeyID   string     // the PUB_KEY_ID_… of Certs, sent as Wechatpay-Serial; "" in certificate mode
	keyring               // platform keys, APIv3 key, merchant key (keyring.go)
	v2         v2Settings // the APIv2 side: secret, host root, mutual TLS

	// waitHook, when set (by tests), sees every Retry-After wait and
	// returns the one resty sleeps.
	waitHook func(time.Duration) time.Duration

	validator func(method, path string, body []byte) error // Config.Validator
}

// NewClient validates cfg and returns a ready client.
func NewClient(cfg Config) (*Client, error) {
	if err := validate(&cfg); err != nil {
		return nil, err
	}
	base, err := parseBaseURL(cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	keys, err := newKeyring(cfg)
	if err != nil {
		return nil, err
	}

	baseTransport, httpClient := cfg.Transport, &http.Client{Timeout: cfg.Timeout}
	var checkRedirect func(*http.Request, []*http.Request) error
	if cfg.HTTPClient != nil {
		baseTransport, checkRedirect = cfg.HTTPClient.Transport, cfg.HTTPClient.CheckRedirect
		if httpClient.Timeout == 0 {
			httpClient.Timeout = cfg.HTTPClient.Timeout
		}
	}
	httpClient.CheckRedirect = sameHostRedirects(base, checkRedirect)
	maxBody := cfg.MaxResponseBytes
	if maxBody == 0 {
		maxBody = DefaultMaxResponseBytes
	}
	v3Sign, v3Verify, err := apiv3Middlewares(&cfg, keys, base, maxBody)
	if err != nil {
		return nil, err
	}
	v2Sign, v2Verify := apiv2Middlewares(&cfg, maxBody)
	v2, baseTransport, err := newV2Settings(&cfg, base, baseTransport)
	if err != nil {
		return nil, err
	}
	stack := middleware.NewStack(baseTransport)
	for _, e := range []struct {
		name string
		mw   middleware.Middleware
	}{
		{"log", logMiddleware(cfg.Logger)},
		{"signer", middleware.ByAPIVersion(v3Sign, v2Sign)},
		{"verifier", middleware.ByAPIVersion(v3Verify, v2Verify)},
	} {
		if err := stack.Push(e.name, e.mw); err != nil {
			return nil, err
		}
	}
	httpClient.Transport = stack
	if s := slots(cfg.MaxConcurrent); s != nil {
		httpClient.Transport = &slotTransport{slots: s, next: stack}
	}

	c := &Client{
		mchID:      cfg.MchID,
		baseURL:    base.String(),
		stack:      stack,
		httpClient: httpClient,
		maxBody:    maxBody,
		pubKeyID:   publicKeyID(cfg.Certs),
		keyring:    keys,
		v2:         v2,
		validator:  cfg.Validator,
	}
	c.certs.fetch = c.fetchCertificates
	now := cfg.Clock
	if now == nil {
		now = time.Now
	}
	// The client reads every answer itself (SetDoNotParseResponse, see
	// send): resty would otherwise gunzip a body the verifier has already
	// checked, and read bodies without the MaxResponseBytes bound.
	c.rc = resty.NewWithClient(httpClient).
		SetLogger(discardLogger{}).
		SetDoNotParseResponse(true).
		SetHeader("Accept", "application/json").
		SetHeader("User-Agent", userAgent).
		SetRetryAfter(retryAfter(now, func(d time.Duration) time.Duration {
			if c.waitHook != nil {
				return c.waitHook(d)
			}
			return d
		}))
	if cfg.Retry != nil {
		p := cfg.Retry.withDefaults()
		c.retries = p.MaxRetries
		c.rc.SetRetryCount(p.MaxRetries).SetRetryWaitTime(p.MinWait).SetRetryMaxWaitTime(p.MaxWait)
	}
	return c, nil
}

// apiv3Middlewares returns the APIv3 signer and verifier, or nils for an
// APIv2-only client.
func apiv3Middlewares(cfg *Config, keys keyring, base *url.URL, maxBody int64) (sign, verify middleware.Middleware, err error) {
	if !cfg.hasAPIv3() {
		return nil, nil, nil
	}
	sgn, err := signer.NewSigner(cfg.MchID, cfg.Serial, cfg.PrivateKey)
	if err != nil {
		return nil, nil, fmt.Errorf("wechatpay: config: %w", err)
	}
	return middleware.NewSigner(sgn), keys.verifierMiddleware(middleware.VerifierConfig{
		Now:          cfg.Clock,
		BasePath:     base.EscapedPath(),
		MaxBodyBytes: maxBody,
	}), nil
}

// publicKeyID returns the WeChat Pay public key id among the serials of
// certs ("" when there is none; the greatest when there are several, so
// the choice does not depend on map order).
func publicKeyID(certs map[string]*rsa.PublicKey) string {
	id := ""
	for serial := range certs {
		if strings.HasPrefix(serial, signer.PublicKeyIDPrefix) && serial > id {
			id = serial
		}
	}
	return id
}

// validate checks the required fields of cfg.
func validate(cfg *Config) error {
	var problems []string
	if cfg.MchID == "" {
		problems = append(problems, "MchID is required (the merchant id, e.g. \"1230000109\")")
	}
	problems = append(problems, validateAPIv2(cfg)...)
	if cfg.Serial == "" && !cfg.apiv2Only() {
		problems = append(problems, "Serial is required (the merchant API certificate serial)")
	}
	if isNil(cfg.PrivateKey) && !cfg.apiv2Only() {
		problems = append(problems, "PrivateKey is required (load it with signer.LoadPrivateKeyFile); it is nil")
	}
	if cfg.Verifier == nil && len(cfg.Certs) == 0 && cfg.APIv3Key == "" && !cfg.apiv2Only() {
		problems = append(problems, "Certs is empty and neither Verifier nor APIv3Key is given: answers could not be verified")
	}
	if n := len(cfg.APIv3Key); n != 0 && n != signer.APIv3KeyLength {
		problems = append(problems, fmt.Sprintf("APIv3Key must be exactly %d bytes, got %d", signer.APIv3KeyLength, n))
	}
	if _, own := cfg.Certs[cfg.Serial]; own && cfg.Serial != "" {
		problems = append(problems, fmt.Sprintf("Certs holds the merchant's own serial %q: answers are verified with WeChat Pay's platform keys, not the merchant's", cfg.Serial))
	}
	if cfg.HTTPClient != nil && cfg.Transport != nil {
		problems = append(problems, "set at most one of HTTPClient and Transport")
	}
	if cfg.MaxConcurrent < 0 {
		problems = append(problems, "MaxConcurrent must not be negative")
	}
	if cfg.Timeout < 0 {
		problems = append(problems, "Timeout must not be negative")
	}
	if cfg.MaxResponseBytes < 0 {
		problems = append(problems, "MaxResponseBytes must not be negative")
	}
	if len(problems) > 0 {
		return fmt.Errorf("wechatpay: invalid config: %s", strings.Join(problems, "; "))
	}
	return nil
}

// isNil reports whether v is nil or a typed nil pointer (such as a nil
// *rsa.PrivateKey in a crypto.Signer), which would panic when used.
func isNil(v any) bool {
	if v == nil {
		return true
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Pointer, reflect.Interface, reflect.Map, reflect.Slice, reflect.Func, reflect.Chan:
		return rv.IsNil()
	}
	return false
}

// parseBaseURL checks the base URL and makes its path end with "/".
func parseBaseURL(raw string) (*url.URL, error) {
	if raw == "" {
		raw = DefaultBaseURL
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("wechatpay: invalid config: BaseURL: %w", err)
	}
	switch {
	case u.Scheme != "https" && u.Scheme != "http":
		return nil, fmt.Errorf("wechatpay: invalid config: BaseURL %q: scheme must be https (or http for a local test server)", raw)
	case u.Host == "":
		return nil, fmt.Errorf("wechatpay: invalid config: BaseURL %q has no host", raw)
	case u.Scheme == "http" && !isLoopback(u.Hostname()):
		return nil, fmt.Errorf("wechatpay: invalid config: BaseURL %q: scheme must be https (http only for a local test server on a loopback address)", raw)
	case u.User != nil, u.RawQuery != "", u.Fragment != "":
		return nil, fmt.Errorf("wechatpay: invalid config: BaseURL %q may not carry user info, a query or a fragment", raw)
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
		if u.RawPath != "" {
			u.RawPath += "/"
		}
	}
	return u, nil
}

// isLoopback reports whether host is "localhost" or a loopback IP.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Stack returns the client's middleware stack: "log", "signer" and
// "verifier" by default, outermost first. Edits take effect for requests
// started afterwards and are safe while requests are in flight. It returns
// nil for a nil *Client.
func (c *Client) Stack() *middleware.Stack {
	if c == nil {
		return nil
	}
	return c.stack
}

// BaseURL returns the API root every chain is relative to ("" for a nil
// *Client).
func (c *Client) BaseURL() string {
	if c == nil {
		return ""
	}
	return c.baseURL
}

// MchID returns the merchant id the client signs for ("" for a nil
// *Client).
func (c *Client) MchID() string {
	if c == nil {
		return ""
	}
	return c.mchID
}

// CloseIdleConnections releases the pooled connections of the base
// transport (the stack passes the call on). A nil *Client does nothing.
func (c *Client) CloseIdleConnections() {
	if c == nil {
		return
	}
	c.stack.CloseIdleConnections()
}

// discardLogger silences resty's own logging: the client logs through slog,
// with secrets redacted.
type discardLogger struct{}

func (discardLogger) Errorf(string, ...any) {}
func (discardLogger) Warnf(string, ...any)  {}
func (discardLogger) Debugf(string, ...any) {}

var errNilContext = errors.New("wechatpay: nil context")
