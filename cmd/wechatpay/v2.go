package main

import (
	"crypto/tls"
	"crypto/x509"
	"flag"
	"net/http"
	"os"
	"strings"

	"github.com/wechatpay-chain/wechatpay"
	"github.com/wechatpay-chain/wechatpay/apiv2"
	"github.com/wechatpay-chain/wechatpay/signer"
)

// The environment variables of APIv2 calls.
const (
	envAPIv2Key   = "WECHATPAY_APIV2_KEY"
	envClientCert = "WECHATPAY_CLIENT_CERT"
	envClientKey  = "WECHATPAY_CLIENT_KEY"
	envCACert     = "WECHATPAY_CA_CERT"
)

// v2CredFlags are the APIv2 credential flags.
type v2CredFlags struct {
	key, clientCert, clientKey, caCert string
}

func (c *v2CredFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&c.key, "apiv2-key", "", "APIv2 secret, for v2/… paths (env "+envAPIv2Key+")")
	fs.StringVar(&c.clientCert, "client-cert", "", "`file` apiclient_cert.pem, for --security calls (env "+envClientCert+")")
	fs.StringVar(&c.clientKey, "client-key", "", "`file` apiclient_key.pem, for --security calls (env "+envClientKey+")")
	fs.StringVar(&c.caCert, "ca-cert", "", "`file` of an extra root CA PEM to trust, e.g. a local test server's (env "+envCACert+")")
}

// secret returns the APIv2 secret from the flag or env.
func (c *v2CredFlags) secret(env func(string) string) setting {
	return resolve(c.key, "apiv2-key", envAPIv2Key, env)
}

// apply adds the APIv2 secret, the client certificate and the extra root CA
// to cfg.
func (c *v2CredFlags) apply(cfg *wechatpay.Config, env func(string) string) error {
	cfg.APIv2Key = c.secret(env).value
	certFile := resolve(c.clientCert, "client-cert", envClientCert, env)
	keyFile := resolve(c.clientKey, "client-key", envClientKey, env)
	switch {
	case certFile.value != "" && keyFile.value != "":
		cert, err := signer.LoadClientCertificateFiles(certFile.value, keyFile.value)
		if err != nil {
			return usagef("%s, %s: %w", certFile.source, keyFile.source, err)
		}
		cfg.ClientCertificate = &cert
	case certFile.value != "" || keyFile.value != "":
		return usagef("set both %s and %s (or --client-cert and --client-key)", envClientCert, envClientKey)
	}
	ca := resolve(c.caCert, "ca-cert", envCACert, env)
	if ca.value == "" {
		return nil
	}
	pemBytes, err := os.ReadFile(ca.value)
	if err != nil {
		return usagef("%s: %w", ca.source, err)
	}
	pool, err := x509.SystemCertPool()
	if err != nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pemBytes) {
		return usagef("%s: no PEM certificate in %s", ca.source, ca.value)
	}
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	cfg.Transport = t
	return nil
}

// v2CallFlags are the APIv2 request flags of the call subcommands.
type v2CallFlags struct {
	xml       string
	security  bool
	nonceless bool
}

func (f *v2CallFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.xml, "xml", "", "APIv2 fields as an <xml>…</xml> document, inline or `@file` (v2/… paths; nonce_str and sign are added)")
	fs.BoolVar(&f.security, "security", false, "APIv2: use mutual TLS with the client certificate")
	fs.BoolVar(&f.nonceless, "nonceless", false, "APIv2: add no nonce_str")
}

// apply adds the "xml", "security" and "nonceless" options.
func (f *v2CallFlags) apply(opts wechatpay.Options) error {
	if f.xml != "" {
		data := []byte(f.xml)
		if name, ok := strings.CutPrefix(f.xml, "@"); ok {
			var err error
			if data, err = os.ReadFile(name); err != nil {
				return usagef("--xml: %w", err)
			}
		}
		fields, err := apiv2.Decode(data)
		if err != nil {
			return usagef("--xml: %w", err)
		}
		opts["xml"] = fields
	}
	if f.security {
		opts["security"] = true
	}
	if f.nonceless {
		opts["nonceless"] = true
	}
	return nil
}
