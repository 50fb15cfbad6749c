package wechatpay

import (
	"crypto"
	"crypto/rsa"
	"crypto/tls"
	"log/slog"
	"net/http"
	"time"

	"github.com/wechatpay-chain/wechatpay/signer"
)

// DefaultBaseURL is the APIv3 endpoint used when Config.BaseURL is empty.
const DefaultBaseURL = "https://api.mch.weixin.qq.com/"

// DefaultMaxResponseBytes is Config.MaxResponseBytes when zero: 8 MiB.
const DefaultMaxResponseBytes = 8 << 20

// Config configures a [Client]. Zero values mean sane defaults; MchID,
// Serial, PrivateKey and one of Certs, APIv3Key or Verifier are required,
// except for an APIv2-only merchant, who gives MchID and APIv2Key and none
// of the APIv3 fields.
type Config struct {
	// MchID is the merchant id, e.g. "1230000109".
	MchID string
	// Serial is the serial number of the merchant API certificate whose key
	// is PrivateKey.
	Serial string
	// PrivateKey signs every request. An *rsa.PrivateKey works, and so does
	// any crypto.Signer holding an RSA key (a KMS or HSM key).
	PrivateKey crypto.Signer
	// Certs maps platform certificate serials and WeChat Pay public key ids
	// ("PUB_KEY_ID_…") to the keys that verify answers. Merchants migrating
	// from certificates to a public key hold both at once.
	Certs map[string]*rsa.PublicKey
	// APIv3Key is the 32-byte APIv3 key set in the merchant platform. It
	// decrypts callbacks (ParseNotification, NotificationHandler) and the
	// platform certificates of v3/certificates. With it, Certs may be
	// empty (certificate mode: the client downloads the certificates) or
	// partial (mid-migration). It never reaches a log or an error.
	APIv3Key string
	// Verifier, when set, verifies answers instead of a store built from
	// Certs (for example an auto-refreshing certificate store).
	Verifier signer.Verifier
	// BaseURL is the API root; DefaultBaseURL when empty. It may carry a
	// path ("https://apihk.mch.weixin.qq.com/hk/"), which is part of every
	// signed target.
	BaseURL string

	// HTTPClient, when set, lends its Transport (as the base under the
	// middleware stack), Timeout and CheckRedirect. Its cookie jar is not
	// used. Set at most one of HTTPClient and Transport. Whatever the
	// CheckRedirect, a redirect away from the base URL's scheme and host is
	// never followed: every hop is signed afresh.
	HTTPClient *http.Client
	// Transport is the base transport under the middleware stack (proxies,
	// TLS, mutual TLS); http.DefaultTransport when nil.
	Transport http.RoundTripper
	// Timeout bounds each attempt; zero means no limit beyond the context.
	// An attempt that times out is retried like a transport error (for
	// idempotent or opted-in calls, when Retry is set); the caller's own
	// expired context never is.
	Timeout time.Duration
	// MaxResponseBytes is the largest answer body read into memory
	// (DefaultMaxResponseBytes when zero). A larger 2xx answer is an error
	// matching ErrResponseTooLarge (not retried); a larger error answer is
	// an *APIError whose Body is cut at the limit (APIError.Truncated).
	MaxResponseBytes int64
	// Retry enables retries; nil (the default) never retries.
	Retry *RetryPolicy
	// Logger receives, through the "log" stack entry, a debug record for
	// every attempt (method, target,
	// status, duration, request id, attempt). Nil logs nothing. Secrets
	// never reach it.
	Logger *slog.Logger
	// Clock returns the current time for response verification; time.Now
	// when nil. Tests use it to exercise the ±300 s window.
	Clock func() time.Time
	// MaxConcurrent, when positive, bounds the attempts of this client that
	// are on the network at once; further calls (sync or async) wait their
	// turn, or until their context ends. A call sleeping in retry backoff
	// holds no slot. Fan-out of thousands of futures then
	// holds a few kilobytes per waiting call instead of a connection each.
	// Zero means no limit.
	MaxConcurrent int
	// Validator, when set, checks every request before it is signed and
	// sent: it gets the method, the chain's template path (such as
	// "v3/pay/transactions/id/{transaction_id}") and the JSON body (nil
	// when there is none; not called for a raw "body" option). Its error
	// stops the call before any I/O and is returned wrapped (errors.Is and
	// errors.As reach it). catalog.Validate checks bodies against the
	// documented endpoint fields; nil (the default) checks nothing.
	Validator func(method, path string, body []byte) error

	// APIv2Key is the APIv2 secret: it signs APIv2 requests (paths starting
	// with "v2/") and verifies their answers and notifications. Empty means
	// the client makes no APIv2 calls.
	APIv2Key string
	// ClientCertificate is the merchant API certificate and key for the
	// APIv2 calls that need mutual TLS (option "security": true). Load it
	// with signer.LoadClientCertificate (apiclient_cert.pem and
	// apiclient_key.pem) or signer.LoadPKCS12 (apiclient_cert.p12). The base
	// transport (Transport, HTTPClient.Transport, or http.DefaultTransport)
	// must then be an *http.Transport: it is cloned once, with the
	// certificate added, for those calls only.
	ClientCertificate *tls.Certificate
}
