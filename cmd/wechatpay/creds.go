package main

import (
	"flag"
	"strings"

	"github.com/wechatpay-chain/wechatpay"
	"github.com/wechatpay-chain/wechatpay/signer"
)

// The environment variables that configure the client.
const (
	envMchID      = "WECHATPAY_MCHID"
	envSerial     = "WECHATPAY_SERIAL"
	envPrivateKey = "WECHATPAY_PRIVATE_KEY"
	envCerts      = "WECHATPAY_CERTS"
	envBaseURL    = "WECHATPAY_BASE_URL"
	envAPIv3Key   = "WECHATPAY_APIV3_KEY" // printed by the mock; read by nothing yet
)

// credFlags holds the credential flags; an empty flag falls back to its
// environment variable.
type credFlags struct {
	mchID, serial, privateKey, certs, baseURL string
	v2                                        v2CredFlags
}

// register adds the credential flags to fs.
func (c *credFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&c.mchID, "mchid", "", "merchant id (env "+envMchID+")")
	fs.StringVar(&c.serial, "serial", "", "merchant API certificate serial (env "+envSerial+")")
	fs.StringVar(&c.privateKey, "private-key", "", "`file` holding the merchant private key PEM, apiclient_key.pem (env "+envPrivateKey+")")
	fs.StringVar(&c.certs, "certs", "", "platform keys as `serial=file,…`; each file a public key or certificate PEM (env "+envCerts+")")
	fs.StringVar(&c.baseURL, "base-url", "", "API root (env "+envBaseURL+"; default "+wechatpay.DefaultBaseURL+")")
	c.v2.register(fs)
}

// setting is one resolved value and where it came from, for error messages.
type setting struct {
	value, source string
}

// resolve returns the flag's value when set, else the environment's.
func resolve(flagValue, flagName, envName string, env func(string) string) setting {
	if flagValue != "" {
		return setting{flagValue, "--" + flagName}
	}
	return setting{strings.TrimSpace(env(envName)), envName}
}

// config builds the client configuration from the flags and env, naming
// the flag or variable at fault in every error.
func (c *credFlags) config(env func(string) string) (wechatpay.Config, error) {
	var cfg wechatpay.Config
	mchID := resolve(c.mchID, "mchid", envMchID, env)
	serial := resolve(c.serial, "serial", envSerial, env)
	keyFile := resolve(c.privateKey, "private-key", envPrivateKey, env)
	certs := resolve(c.certs, "certs", envCerts, env)
	base := resolve(c.baseURL, "base-url", envBaseURL, env)

	if serial.value == "" && keyFile.value == "" && certs.value == "" && mchID.value != "" && c.v2.secret(env).value != "" {
		cfg = wechatpay.Config{MchID: mchID.value, BaseURL: base.value} // an APIv2-only merchant
		return cfg, c.v2.apply(&cfg, env)
	}
	var missing []string
	for _, s := range []struct {
		setting
		flag, env string
	}{{mchID, "--mchid", envMchID}, {serial, "--serial", envSerial}, {keyFile, "--private-key", envPrivateKey}, {certs, "--certs", envCerts}} {
		if s.value == "" {
			missing = append(missing, s.env+" (or "+s.flag+")")
		}
	}
	if len(missing) > 0 {
		return cfg, usagef("missing credentials: set %s; \"wechatpay mock\" prints a ready set for a local server", strings.Join(missing, ", "))
	}
	key, err := signer.LoadPrivateKeyFile(keyFile.value)
	if err != nil {
		return cfg, usagef("%s: %w", keyFile.source, err)
	}
	store, err := parseCerts(certs.value)
	if err != nil {
		return cfg, usagef("%s: %w", certs.source, err)
	}
	cfg = wechatpay.Config{
		MchID:      mchID.value,
		Serial:     serial.value,
		PrivateKey: key,
		Certs:      store,
		BaseURL:    base.value,
	}
	return cfg, c.v2.apply(&cfg, env)
}

// newClient builds a client from the flags and env; tweaks adjust the
// configuration first (a retry policy).
func (c *credFlags) newClient(env func(string) string, tweaks ...func(*wechatpay.Config)) (*wechatpay.Client, error) {
	cfg, err := c.config(env)
	if err != nil {
		return nil, err
	}
	for _, t := range tweaks {
		t(&cfg)
	}
	client, err := wechatpay.NewClient(cfg)
	if err != nil {
		return nil, usagef("configuration: %w", err)
	}
	return client, nil
}
