package main

import (
	"strings"
	"testing"

	"github.com/wechatpay-chain/wechatpay/wechatpaytest"
)

func TestCredentials(t *testing.T) {
	t.Parallel()
	pub := newServer(t)
	cert := newServer(t, wechatpaytest.WithKeyMode(wechatpaytest.CertificateMode))
	good := serverEnv(t, pub)
	certEnv := serverEnv(t, cert)
	pubFile := strings.SplitN(good[envCerts], "=", 2)[1]
	certFile := strings.SplitN(certEnv[envCerts], "=", 2)[1]
	garbage := writeTemp(t, "garbage.pem", []byte("not a key"))

	with := func(base map[string]string, kv ...string) map[string]string {
		env := map[string]string{}
		for k, v := range base {
			env[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			env[kv[i]] = kv[i+1]
		}
		return env
	}
	tests := []struct {
		name  string
		env   map[string]string
		flags credFlags
		err   string // substring; "" means success
	}{
		{name: "public key mode", env: good},
		{name: "certificate mode", env: certEnv},
		{name: "both modes at once", env: with(good, envCerts, good[envCerts]+", "+cert.PlatformSerial()+"="+certFile)},
		{name: "flag overrides env", env: with(good, envPrivateKey, garbage), flags: credFlags{privateKey: good[envPrivateKey]}},
		{name: "nothing set", env: nil, err: "missing credentials: set WECHATPAY_MCHID (or --mchid), WECHATPAY_SERIAL (or --serial), WECHATPAY_PRIVATE_KEY (or --private-key), WECHATPAY_CERTS (or --certs)"},
		{name: "one missing", env: with(good, envSerial, "  "), err: "set WECHATPAY_SERIAL (or --serial);"},
		{name: "bad key file from env", env: with(good, envPrivateKey, garbage), err: "WECHATPAY_PRIVATE_KEY: "},
		{name: "bad key file from flag", env: good, flags: credFlags{privateKey: "/nonexistent/key.pem"}, err: "--private-key: signer: reading private key: open /nonexistent/key.pem"},
		{name: "public key as private key", env: with(good, envPrivateKey, pubFile), err: "WECHATPAY_PRIVATE_KEY: "},
		{name: "entry without =", env: with(good, envCerts, "abc"), err: `WECHATPAY_CERTS: entry "abc": want serial=file`},
		{name: "empty serial", env: with(good, envCerts, "="+pubFile), err: `want serial=file`},
		{name: "only commas", env: with(good, envCerts, " , "), err: "WECHATPAY_CERTS: no entries"},
		{name: "duplicate serial", env: with(good, envCerts, "S1="+pubFile+",S1="+pubFile), err: "serial S1 given twice"},
		{name: "missing file", env: with(good, envCerts, "S1=/nonexistent/pub.pem"), err: `entry "S1=/nonexistent/pub.pem": open /nonexistent/pub.pem`},
		{name: "garbage file", env: with(good, envCerts, "S1="+garbage), err: `entry "S1=` + garbage},
		{name: "certificate under the wrong serial", env: with(certEnv, envCerts, "0ABC="+certFile), err: "the certificate's serial is " + cert.PlatformSerial() + ", not 0ABC"},
		{name: "flag certs", env: with(good, envCerts, "abc"), flags: credFlags{certs: "x"}, err: `--certs: entry "x": want serial=file`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := func(k string) string { return tt.env[k] }
			client, err := tt.flags.newClient(env)
			if tt.err == "" {
				if err != nil {
					t.Fatal(err)
				}
				client.CloseIdleConnections()
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Fatalf("err = %v\nwant it to contain %q", err, tt.err)
			}
			if got := exitCode(err); got != exitUsage {
				t.Errorf("exitCode = %d, want %d", got, exitUsage)
			}
		})
	}
}

func TestCredentialsMerchantSerialInCerts(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	env := serverEnv(t, srv)
	pubFile := strings.SplitN(env[envCerts], "=", 2)[1]
	env[envCerts] += "," + srv.MerchantSerial() + "=" + pubFile
	_, err := (&credFlags{}).newClient(func(k string) string { return env[k] })
	if err == nil || !strings.HasPrefix(err.Error(), "configuration: ") || exitCode(err) != exitUsage {
		t.Fatalf("err = %v (exit %d), want a configuration error with exit %d", err, exitCode(err), exitUsage)
	}
}

func TestShellQuote(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"/tmp/wechatpay-mock-1/apiclient_key.pem": "/tmp/wechatpay-mock-1/apiclient_key.pem",
		"PUB_KEY_ID_01=/tmp/a b/pub_key.pem":      "'PUB_KEY_ID_01=/tmp/a b/pub_key.pem'",
		"it's":                                    `'it'\''s'`,
		"":                                        "''",
		"$HOME":                                   "'$HOME'",
	} {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %s, want %s", in, got, want)
		}
	}
}
