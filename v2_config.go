package wechatpay

import (
	"net/http"
	"net/url"

	"github.com/wechatpay-chain/wechatpay/middleware"
)

// v2Settings is what a Client knows about its APIv2 side.
type v2Settings struct {
	v2Only bool            // no APIv3 credential is configured
	hasKey bool            // Config.APIv2Key is set
	key    string          // the APIv2 secret, for notifications; never logged
	root   string          // scheme://host/ of the base URL: APIv2 paths hang off the host root
	mutual *http.Transport // nil without Config.ClientCertificate
}

// hasAPIv3 reports whether cfg configures any APIv3 credential. A config
// without one and with an APIv2Key is an APIv2-only client.
func (cfg *Config) hasAPIv3() bool {
	return cfg.Serial != "" || !isNil(cfg.PrivateKey) || len(cfg.Certs) > 0 || cfg.Verifier != nil || cfg.APIv3Key != ""
}

// apiv2Only reports whether cfg is for an APIv2-only merchant.
func (cfg *Config) apiv2Only() bool { return !cfg.hasAPIv3() && cfg.APIv2Key != "" }

// validateAPIv2 lists the problems of cfg's APIv2 fields.
func validateAPIv2(cfg *Config) []string {
	var problems []string
	if c := cfg.ClientCertificate; c != nil && (len(c.Certificate) == 0 || c.PrivateKey == nil) {
		problems = append(problems, "ClientCertificate has no certificate or no private key (load it with signer.LoadClientCertificate or signer.LoadPKCS12)")
	}
	return problems
}

// newV2Settings prepares the APIv2 side of a client; base is the parsed
// base URL and transport the configured base transport.
func newV2Settings(cfg *Config, base *url.URL, transport http.RoundTripper) (v2Settings, http.RoundTripper, error) {
	s := v2Settings{
		v2Only: !cfg.hasAPIv3(),
		hasKey: cfg.APIv2Key != "",
		key:    cfg.APIv2Key,
		root:   (&url.URL{Scheme: base.Scheme, Host: base.Host, Path: "/"}).String(),
	}
	if cfg.ClientCertificate == nil {
		return s, transport, nil
	}
	mutual, err := newMutualTLS(transport, cfg.ClientCertificate)
	if err != nil {
		return s, nil, err
	}
	s.mutual = mutual
	return s, &tlsSwitch{plain: transport, mutual: mutual}, nil
}

// apiv2Middlewares returns the APIv2 signer and verifier, or nils for a
// client without an APIv2 secret.
func apiv2Middlewares(cfg *Config, maxBody int64) (sign, verify middleware.Middleware) {
	if cfg.APIv2Key == "" {
		return nil, nil
	}
	return middleware.NewAPIv2Signer(cfg.APIv2Key), middleware.NewAPIv2Verifier(middleware.APIv2VerifierConfig{Secret: cfg.APIv2Key, MaxBytes: maxBody})
}
