package wechatpay

import (
	"context"
	"crypto/tls"
	"fmt"
	"net/http"
)

// mutualTLSKey marks, in a request context, a call made with the "security"
// option: the base transport sends it over the client's mutual-TLS
// transport.
type mutualTLSKey struct{}

func withMutualTLS(ctx context.Context) context.Context {
	return context.WithValue(ctx, mutualTLSKey{}, true)
}

func mutualTLSRequested(ctx context.Context) bool {
	on, _ := ctx.Value(mutualTLSKey{}).(bool)
	return on
}

// newMutualTLS returns the transport for "security" calls: the configured
// base transport (which must then be an *http.Transport), or
// http.DefaultTransport, cloned once, with cert added to its TLS
// configuration. The configured transport itself is never modified, and no
// transport is ever changed per call.
func newMutualTLS(base http.RoundTripper, cert *tls.Certificate) (*http.Transport, error) {
	if base == nil {
		base = http.DefaultTransport
	}
	t, ok := base.(*http.Transport)
	if !ok {
		return nil, fmt.Errorf("wechatpay: invalid config: ClientCertificate needs the base transport to be an *http.Transport (or nil), got %T; give the certificate to your own transport's TLS configuration instead", base)
	}
	mutual := t.Clone()
	if mutual.TLSClientConfig == nil {
		mutual.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	mutual.TLSClientConfig.Certificates = []tls.Certificate{*cert}
	mutual.TLSClientConfig.GetClientCertificate = nil
	return mutual, nil
}

// tlsSwitch is the base of the stack of a client with a ClientCertificate:
// calls marked with withMutualTLS go over the mutual-TLS transport, every
// other call over the configured one.
type tlsSwitch struct {
	plain  http.RoundTripper // nil means http.DefaultTransport
	mutual *http.Transport
}

func (s *tlsSwitch) RoundTrip(req *http.Request) (*http.Response, error) {
	if mutualTLSRequested(req.Context()) {
		return s.mutual.RoundTrip(req)
	}
	if s.plain == nil {
		return http.DefaultTransport.RoundTrip(req)
	}
	return s.plain.RoundTrip(req)
}

// CloseIdleConnections closes the idle connections of both transports.
func (s *tlsSwitch) CloseIdleConnections() {
	s.mutual.CloseIdleConnections()
	plain := s.plain
	if plain == nil {
		plain = http.DefaultTransport
	}
	if c, ok := plain.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}
