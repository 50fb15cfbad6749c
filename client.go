package wechatpay

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/go-resty/resty/v2"

	"github.com/wechatpay-chain/wechatpay/middleware"
	"github.com/wechatpay-chain/wechatpay/signer"
)

// Client calls WeChat Pay APIv3 endpoints, and APIv2 endpoints through
// paths starting with "v2/". Every request passes through its middleware
// stack, which signs it ("signer") and verifies the answer ("verifier"),
// each entry serving both API versions. A Client is safe for concurrent
// use.
type Client struct {
	mchID      string
	baseURL    string // absolute, ends with "/"
	stack      *middleware.Stack
	httpClient *http.Client
	rc         *resty.Client
	slots      chan struct{} // nil, or a semaphore of Config.MaxConcurrent slots
	v2         v2Settings    // the APIv2 side: secret, host root, mutual TLS
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
	v3Sign, v3Verify, err := apiv3Middlewares(&cfg, base)
	if err != nil {
		return nil, err
	}
	v2Sign, v2Verify := apiv2Middlewares(&cfg)

	baseTransport, httpClient := cfg.Transport, &http.Client{Timeout: cfg.Timeout}
	var checkRedirect func(*http.Request, []*http.Request) error
	if cfg.HTTPClient != nil {
		baseTransport, checkRedirect = cfg.HTTPClient.Transport, cfg.HTTPClient.CheckRedirect
		if httpClient.Timeout == 0 {
			httpClient.Timeout = cfg.HTTPClient.Timeout
		}
	}
	httpClient.CheckRedirect = sameHostRedirects(base, checkRedirect)
	v2, baseTransport, err := newV2Settings(&cfg, base, baseTransport)
	if err != nil {
		return nil, err
	}
	stack := middleware.NewStack(baseTransport)
	if err := stack.Push("signer", middleware.ByAPIVersion(v3Sign, v2Sign)); err != nil {
		return nil, err
	}
	if err := stack.Push("verifier", middleware.ByAPIVersion(v3Verify, v2Verify)); err != nil {
		return nil, err
	}
	httpClient.Transport = stack
	if cfg.Logger != nil {
		httpClient.Transport = &logTransport{next: stack, logger: cfg.Logger}
	}

	rc := resty.NewWithClient(httpClient).
		SetLogger(discardLogger{}).
		SetHeader("Accept", "application/json").
		SetHeader("User-Agent", userAgent).
		SetRetryAfter(retryAfter)
	if cfg.Retry != nil {
		p := cfg.Retry.withDefaults()
		rc.SetRetryCount(p.MaxRetries).SetRetryWaitTime(p.MinWait).SetRetryMaxWaitTime(p.MaxWait)
	}
	return &Client{
		mchID:      cfg.MchID,
		baseURL:    base.String(),
		stack:      stack,
		httpClient: httpClient,
		rc:         rc,
		slots:      slots(cfg.MaxConcurrent),
		v2:         v2,
	}, nil
}

// apiv3Middlewares returns the APIv3 signer and verifier, or nils for an
// APIv2-only client.
func apiv3Middlewares(cfg *Config, base *url.URL) (sign, verify middleware.Middleware, err error) {
	if !cfg.hasAPIv3() {
		return nil, nil, nil
	}
	sgn, err := signer.NewSigner(cfg.MchID, cfg.Serial, cfg.PrivateKey)
	if err != nil {
		return nil, nil, fmt.Errorf("wechatpay: config: %w", err)
	}
	verifier := cfg.Verifier
	if verifier == nil {
		store, err := signer.NewKeyStore(cfg.Certs)
		if err != nil {
			return nil, nil, fmt.Errorf("wechatpay: config: Certs: %w", err)
		}
		verifier = store
	}
	return middleware.NewSigner(sgn), middleware.NewVerifier(middleware.VerifierConfig{
		Verifier: verifier,
		Now:      cfg.Clock,
		BasePath: base.Path,
	}), nil
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
	if cfg.PrivateKey == nil && !cfg.apiv2Only() {
		problems = append(problems, "PrivateKey is required (load it with signer.LoadPrivateKeyFile)")
	}
	if cfg.Verifier == nil && len(cfg.Certs) == 0 && !cfg.apiv2Only() {
		problems = append(problems, "Certs is empty and no Verifier is given: answers could not be verified")
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
	if len(problems) > 0 {
		return fmt.Errorf("wechatpay: invalid config: %s", strings.Join(problems, "; "))
	}
	return nil
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

// Stack returns the client's middleware stack, "signer" then "verifier" by
// default. Edits take effect for requests started afterwards and are safe
// while requests are in flight.
func (c *Client) Stack() *middleware.Stack { return c.stack }

// BaseURL returns the API root every chain is relative to.
func (c *Client) BaseURL() string { return c.baseURL }

// MchID returns the merchant id the client signs for.
func (c *Client) MchID() string { return c.mchID }

// CloseIdleConnections releases the pooled connections of the base
// transport.
func (c *Client) CloseIdleConnections() { c.httpClient.CloseIdleConnections() }

// discardLogger silences resty's own logging: the client logs through slog,
// with secrets redacted.
type discardLogger struct{}

func (discardLogger) Errorf(string, ...any) {}
func (discardLogger) Warnf(string, ...any)  {}
func (discardLogger) Debugf(string, ...any) {}

var errNilContext = errors.New("wechatpay: nil context")
