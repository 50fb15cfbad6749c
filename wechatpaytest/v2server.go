package wechatpaytest

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"

	"github.com/wechatpay-chain/wechatpay"
)

// V2Server is an in-process WeChat Pay APIv2 server on 127.0.0.1, served
// over TLS with its own certificate authority. It checks every request as
// WeChat Pay does (the merchant id, a nonce_str, the MD5 or HMAC-SHA256
// sign computed with its own code), requires the merchant API certificate
// (issued by its CA) on the mutual-TLS endpoints, signs its answers except
// on the endpoints WeChat Pay answers unsigned, and sends v2 payment and
// refund notifications. Built-in endpoints: pay/micropay, pay/orderquery,
// secapi/pay/refund (mutual TLS) and mmpaymkttransfers/sendredpack
// (mutual TLS, unsigned answer); [V2Server.Handle] adds or overrides
// endpoints. A V2Server is safe for concurrent use; Close it when done.
type V2Server struct {
	// URL is the base URL to give a client: "https://127.0.0.1:port/".
	URL string

	mchid, key string
	pki        *v2PKI
	srv        *httptest.Server
	notify     *http.Client

	mu       sync.Mutex
	handlers map[string]V2Handler
	orders   map[string]map[string]string
	seq      int
}

// V2Config configures NewV2Server; zero values mean defaults.
type V2Config struct {
	// MchID is the merchant id the server expects; DefaultMchID when empty.
	MchID string
	// Key is the APIv2 secret; 32 random characters when empty.
	Key string
}

// V2Handler answers one APIv2 request whose merchant id, nonce and sign
// were accepted. fields are the request's fields (sign included).
type V2Handler func(fields map[string]string) V2Reply

// V2Reply is a V2Handler's answer.
type V2Reply struct {
	// Fields of the answer. return_code defaults to SUCCESS, and
	// nonce_str, appid and mch_id are added when absent.
	Fields map[string]string
	// Unsigned leaves the sign out, as WeChat Pay does for red packets,
	// transfers and a few more endpoints (and for every return_code FAIL).
	Unsigned bool
	// SignType signs with "MD5" (the default) or "HMAC-SHA256".
	SignType string
	// TamperSign sends a sign with one character changed.
	TamperSign bool
	// Raw, when not nil, is sent as the body instead (Fields and the rest
	// are ignored): for answers no real server sends, such as an XML bomb.
	Raw []byte
}

// v2MutualTLS lists the built-in endpoints that need the merchant API
// certificate.
var v2MutualTLS = map[string]bool{
	"secapi/pay/refund":             true,
	"secapi/pay/reverse":            true,
	"mmpaymkttransfers/sendredpack": true,
}

// NewV2Server starts an APIv2 server. It panics if it cannot start (a test
// mistake), like httptest.NewServer.
func NewV2Server(cfg V2Config) *V2Server {
	if cfg.MchID == "" {
		cfg.MchID = DefaultMchID
	}
	if cfg.Key == "" {
		cfg.Key = nonce(32)
	}
	pki, err := newV2PKI(cfg.MchID, time.Now())
	if err != nil {
		panic(err)
	}
	s := &V2Server{
		mchid: cfg.MchID, key: cfg.Key, pki: pki,
		handlers: map[string]V2Handler{},
		orders:   map[string]map[string]string{},
		notify:   &http.Client{Timeout: 30 * time.Second},
	}
	s.srv = httptest.NewUnstartedServer(http.HandlerFunc(s.serveHTTP))
	s.srv.TLS = &tls.Config{
		Certificates: []tls.Certificate{pki.server},
		ClientCAs:    pki.caPool,
		ClientAuth:   tls.VerifyClientCertIfGiven,
		MinVersion:   tls.VersionTLS12,
	}
	s.srv.StartTLS()
	s.URL = s.srv.URL + "/"
	return s
}

// Close stops the server.
func (s *V2Server) Close() {
	s.srv.Close()
	s.notify.CloseIdleConnections()
}

// MchID returns the merchant id the server expects.
func (s *V2Server) MchID() string { return s.mchid }

// APIv2Key returns the APIv2 secret.
func (s *V2Server) APIv2Key() string { return s.key }

// RootCAs returns a pool holding the server's CA: give it to the client's
// TLS configuration (RootCAs) to trust the server.
func (s *V2Server) RootCAs() *x509.CertPool { return s.pki.caPool.Clone() }

// CACertificatePEM returns the server's CA certificate in PEM, for
// programs that take a root CA file.
func (s *V2Server) CACertificatePEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.pki.caCert.Raw})
}

// ClientCertificate returns the merchant API certificate the server's CA
// issued, for Config.ClientCertificate.
func (s *V2Server) ClientCertificate() tls.Certificate { return s.pki.client }

// ClientCertificatePEM returns the merchant API certificate and its
// PKCS#8 key in PEM, the forms of apiclient_cert.pem and apiclient_key.pem.
func (s *V2Server) ClientCertificatePEM() (certPEM, keyPEM []byte) {
	return append([]byte(nil), s.pki.clientCert...), append([]byte(nil), s.pki.clientKey...)
}

// Transport returns a new *http.Transport that trusts the server's CA.
func (s *V2Server) Transport() *http.Transport {
	return &http.Transport{TLSClientConfig: &tls.Config{RootCAs: s.RootCAs(), MinVersion: tls.VersionTLS12}}
}

// Client returns an APIv2-only *wechatpay.Client for this server: its
// merchant id, secret, URL, the client certificate and a transport trusting
// the server's CA. tweak may adjust the configuration first.
func (s *V2Server) Client(tweak ...func(*wechatpay.Config)) (*wechatpay.Client, error) {
	cert := s.ClientCertificate()
	cfg := wechatpay.Config{
		MchID:             s.mchid,
		APIv2Key:          s.key,
		ClientCertificate: &cert,
		BaseURL:           s.URL,
		Transport:         s.Transport(),
	}
	for _, t := range tweak {
		t(&cfg)
	}
	return wechatpay.NewClient(cfg)
}

// Handle serves path (relative to the root, e.g. "pay/closeorder") with h,
// replacing a built-in endpoint of that path; a nil h removes the
// override.
func (s *V2Server) Handle(path string, h V2Handler) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if h == nil {
		delete(s.handlers, path)
		return
	}
	s.handlers[path] = h
}

// serveHTTP checks and answers one APIv2 request.
func (s *V2Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	path := strings.TrimPrefix(r.URL.EscapedPath(), "/")
	fields, problem := s.readRequest(r)
	if problem == "" && v2MutualTLS[path] && !s.hasMerchantCertificate(r) {
		problem = "CERT_REQUIRED: this endpoint needs the merchant API certificate (mutual TLS)"
	}
	if problem != "" {
		s.write(w, V2Reply{Fields: map[string]string{"return_code": "FAIL", "return_msg": problem}, Unsigned: true})
		return
	}
	s.mu.Lock()
	h, ok := s.handlers[path]
	s.mu.Unlock()
	if !ok {
		h = s.builtin(path)
	}
	if h == nil {
		http.Error(w, "no APIv2 endpoint "+path, http.StatusNotFound)
		return
	}
	s.write(w, h(fields))
}

// readRequest returns the request's fields, or what is wrong with it.
func (s *V2Server) readRequest(r *http.Request) (map[string]string, string) {
	var fields map[string]string
	if r.Method == http.MethodGet {
		fields = map[string]string{}
		for k, vs := range r.URL.Query() {
			if len(vs) != 1 {
				return nil, "PARAM_ERROR: repeated parameter " + k
			}
			fields[k] = vs[0]
		}
	} else {
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil {
			return nil, "reading the body: " + err.Error()
		}
		if fields, err = v2Parse(body); err != nil {
			return nil, "XML_FORMAT_ERROR: " + err.Error()
		}
	}
	switch {
	case fields["mch_id"] != "" && fields["mch_id"] != s.mchid, fields["mchid"] != "" && fields["mchid"] != s.mchid:
		return nil, "MCHID_NOT_EXIST: mch_id does not match this merchant"
	case len(fields["nonce_str"]) == 0 || len(fields["nonce_str"]) > 32:
		return nil, "PARAM_ERROR: nonce_str missing or longer than 32 characters"
	}
	if err := v2CheckSign(fields, s.key); err != nil {
		return nil, "SIGNERROR: " + err.Error()
	}
	return fields, ""
}

// hasMerchantCertificate reports whether the TLS client presented a
// certificate of the server's CA naming the merchant.
func (s *V2Server) hasMerchantCertificate(r *http.Request) bool {
	if r.TLS == nil || len(r.TLS.VerifiedChains) == 0 {
		return false
	}
	return r.TLS.VerifiedChains[0][0].Subject.CommonName == s.mchid
}

// write encodes and signs reply.
func (s *V2Server) write(w http.ResponseWriter, reply V2Reply) {
	body := reply.Raw
	if body == nil {
		f := make(map[string]string, len(reply.Fields)+4)
		for k, v := range reply.Fields {
			f[k] = v
		}
		if f["return_code"] == "" {
			f["return_code"] = "SUCCESS"
		}
		if f["return_code"] == "SUCCESS" {
			if f["mch_id"] == "" {
				f["mch_id"] = s.mchid
			}
			if f["nonce_str"] == "" {
				f["nonce_str"] = nonce(16)
			}
			if !reply.Unsigned {
				sign, err := v2Sign(f, s.key, reply.SignType)
				if err != nil {
					http.Error(w, err.Error(), http.StatusInternalServerError)
					return
				}
				if reply.TamperSign {
					sign = tamperSign(sign)
				}
				f["sign"] = sign
			}
		}
		body = v2Marshal(f)
	}
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.Write(body)
}

// tamperSign changes the first character of a hex sign.
func tamperSign(sign string) string {
	if strings.HasPrefix(sign, "0") {
		return "1" + sign[1:]
	}
	return "0" + sign[1:]
}

// nextID returns a fresh numeric id with prefix.
func (s *V2Server) nextID(prefix string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	return fmt.Sprintf("%s%020d", prefix, s.seq)
}
