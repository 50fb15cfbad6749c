package wechatpay

import (
	"crypto"
	"fmt"
	"log/slog"
	"time"

	"github.com/wechatpay-chain/wechatpay/middleware"
	"github.com/wechatpay-chain/wechatpay/signer"
)

// keyring is what a client needs beyond signing requests: the platform
// keys (static and downloaded), the APIv3 key for callbacks and
// certificates, and the merchant key for sensitive fields. Each client has
// its own; nothing is shared between clients.
type keyring struct {
	apiV3Key   string
	certs      *certificateStore
	verifier   signer.Verifier // Config.Verifier; nil means certs
	privateKey crypto.Signer
	now        func() time.Time
	logger     *slog.Logger
}

// newKeyring builds the keyring of a validated config.
func newKeyring(cfg Config) (keyring, error) {
	now := cfg.Clock
	if now == nil {
		now = time.Now
	}
	store, err := newCertificateStore(cfg.Certs, cfg.APIv3Key, now, cfg.Logger)
	if err != nil {
		return keyring{}, fmt.Errorf("wechatpay: config: Certs: %w", plainError{err})
	}
	return keyring{
		apiV3Key:   cfg.APIv3Key,
		certs:      store,
		verifier:   cfg.Verifier,
		privateKey: cfg.PrivateKey,
		now:        now,
		logger:     cfg.Logger,
	}, nil
}

// verifierMiddleware returns the "verifier" stack entry for cfg (whose
// Verifier it sets): Config.Verifier when given; otherwise the platform
// keys, which with an APIv3 key download v3/certificates for an unknown
// certificate serial under the request's context.
func (k keyring) verifierMiddleware(cfg middleware.VerifierConfig) middleware.Middleware {
	switch {
	case k.verifier != nil:
		cfg.Verifier = k.verifier
	case k.apiV3Key == "":
		cfg.Verifier = k.certs.keys
	default:
		return k.certs.verifierMiddleware(cfg)
	}
	return middleware.NewVerifier(cfg)
}
