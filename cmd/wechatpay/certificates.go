package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/wechatpay-chain/wechatpay"
	"github.com/wechatpay-chain/wechatpay/signer"
)

// certificatesAPIv3KeyEnv holds the APIv3 key; like every secret it is
// never taken from the command line.
const certificatesAPIv3KeyEnv = "WECHATPAY_APIV3_KEY"

// certificatesHelp is the text after the flags in "wechatpay certificates -h".
const certificatesHelp = `Downloads the platform certificates (GET v3/certificates), decrypts them with
the APIv3 key from ` + certificatesAPIv3KeyEnv + `, checks that the answer verifies
with the certificates it lists, and writes each to DIR/wechatpay_<serial>.pem
(created with mode 0644; DIR is created if missing). It prints one line per
certificate: serial, effective and expiry time, file.

The credentials are those of the other commands, except that WECHATPAY_CERTS
may be empty (certificate mode: the answer is verified with the downloaded
certificates themselves). Merchants on the WeChat Pay public key get
RESOURCE_NOT_EXISTS: they have no platform certificates to download.

Example:
  export ` + certificatesAPIv3KeyEnv + `=…   # 32 characters, from the merchant platform
  wechatpay certificates -o ./certs
`

// runCertificates is the certificates subcommand.
func runCertificates(ctx context.Context, name string, args []string, stdout, stderr io.Writer, env func(string) string) int {
	var creds credFlags
	var dir string
	fs := newFlagSet(name)
	creds.register(fs)
	fs.StringVar(&dir, "o", "", "output `directory` for wechatpay_<serial>.pem (required)")
	if code, done := parseNoArgs(fs, args, "wechatpay certificates -o DIR", certificatesHelp, stdout, stderr); done {
		return code
	}
	if err := downloadCertificates(ctx, &creds, dir, stdout, env); err != nil {
		return report(stderr, err)
	}
	return exitOK
}

// downloadCertificates refreshes a client's certificates and writes them.
func downloadCertificates(ctx context.Context, creds *credFlags, dir string, stdout io.Writer, env func(string) string) error {
	if dir == "" {
		return usagef("-o DIR is required")
	}
	cfg, err := certificatesConfig(creds, env)
	if err != nil {
		return err
	}
	client, err := wechatpay.NewClient(cfg)
	if err != nil {
		return usagef("configuration: %w", err)
	}
	defer client.CloseIdleConnections()
	if err := client.RefreshCertificates(ctx); err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, c := range client.PlatformCertificates() {
		file := filepath.Join(dir, "wechatpay_"+c.Serial+".pem")
		if err := os.WriteFile(file, c.PEM, 0o644); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s  effective %s  expires %s  %s\n", c.Serial,
			c.EffectiveTime.Format("2006-01-02T15:04:05Z07:00"), c.ExpireTime.Format("2006-01-02T15:04:05Z07:00"), file)
	}
	return nil
}

// certificatesConfig is the client configuration of the certificates
// command: the usual credentials, the APIv3 key, and optional Certs.
func certificatesConfig(c *credFlags, env func(string) string) (wechatpay.Config, error) {
	var cfg wechatpay.Config
	mchID := resolve(c.mchID, "mchid", envMchID, env)
	serial := resolve(c.serial, "serial", envSerial, env)
	keyFile := resolve(c.privateKey, "private-key", envPrivateKey, env)
	certs := resolve(c.certs, "certs", envCerts, env)
	base := resolve(c.baseURL, "base-url", envBaseURL, env)
	apiV3Key := env(certificatesAPIv3KeyEnv)

	var missing []string
	for _, s := range []struct{ value, name string }{
		{mchID.value, envMchID + " (or --mchid)"}, {serial.value, envSerial + " (or --serial)"},
		{keyFile.value, envPrivateKey + " (or --private-key)"}, {apiV3Key, certificatesAPIv3KeyEnv},
	} {
		if s.value == "" {
			missing = append(missing, s.name)
		}
	}
	if len(missing) > 0 {
		return cfg, usagef("missing credentials: set %s", strings.Join(missing, ", "))
	}
	key, err := signer.LoadPrivateKeyFile(keyFile.value)
	if err != nil {
		return cfg, usagef("%s: %w", keyFile.source, err)
	}
	cfg = wechatpay.Config{MchID: mchID.value, Serial: serial.value, PrivateKey: key, APIv3Key: apiV3Key, BaseURL: base.value}
	if certs.value != "" {
		if cfg.Certs, err = parseCerts(certs.value); err != nil {
			return cfg, usagef("%s: %w", certs.source, err)
		}
	}
	return cfg, nil
}
