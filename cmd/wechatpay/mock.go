package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/wechatpay-chain/wechatpay/wechatpaytest"
)

// mockHelp is the text after the flags in "wechatpay mock -h".
const mockHelp = `The mock is the in-process WeChat Pay server of package wechatpaytest, run
standalone: it checks every request's signature as WeChat Pay does, signs
every answer, and serves the seed endpoint, Native and JSAPI orders
(create, query, close), refunds, v3/certificates (in cert mode), the media
uploads (digest checked) and trade and fund-flow bills (for "wechatpay
bill") by hand;
every other documented APIv3 endpoint is answered from the endpoint
catalog (required fields checked, every documented response field filled;
see "wechatpay describe PATH").

It writes the keys it generated to DIR (apiclient_key.pem with mode 0600,
pub_key.pem, and wechatpay_cert.pem in cert mode; platform_key.pem and
mock.json, mode 0600, for "wechatpay notify"), prints the export lines that
point this CLI at it (the APIv3 key it encrypts callbacks with included),
then "# listening on URL", and serves until SIGINT or SIGTERM. Every line
it prints on stdout is a shell command or a comment, so the output can be
sourced. Each request is logged on stderr with the outcome of
the signature check. A temporary DIR is removed on exit; one given with
--dir is kept.

Examples:
  wechatpay mock --dir ./mock-keys
  wechatpay mock --addr 127.0.0.1:0 --mode cert     # any free port
  # in another shell, paste the export lines, then:
  wechatpay post v3/pay/transactions/native --json @order.json

  # or, in one shell: serve in the background and source the export lines
` + mockRecipe

// mockRecipe starts a mock in the background of a shell and loads its
// export lines; both helps show it and a test runs it verbatim.
const mockRecipe = `  rm -f /tmp/wxp.env; wechatpay mock --addr 127.0.0.1:0 --dir /tmp/wxp > /tmp/wxp.env &
  until grep -q '^# listening' /tmp/wxp.env 2>/dev/null; do sleep 0.1; done; . /tmp/wxp.env
`

// mockFlags are the flags of the mock subcommand.
type mockFlags struct {
	addr, dir, mode string
}

// keyMode maps --mode to the server's key mode.
func (f *mockFlags) keyMode() (wechatpaytest.KeyMode, error) {
	switch f.mode {
	case "pubkey":
		return wechatpaytest.PublicKeyMode, nil
	case "cert":
		return wechatpaytest.CertificateMode, nil
	}
	return 0, usagef("--mode %q: want pubkey or cert", f.mode)
}

// runMock is the mock subcommand.
func runMock(ctx context.Context, name string, args []string, stdout, stderr io.Writer, _ func(string) string) int {
	var f mockFlags
	fs := newFlagSet(name)
	fs.StringVar(&f.addr, "addr", "127.0.0.1:8080", "listen `address` (port 0 picks a free port)")
	fs.StringVar(&f.dir, "dir", "", "`directory` for the generated key files, created if missing (default a new temporary directory)")
	fs.StringVar(&f.mode, "mode", "pubkey", "platform key `mode`: pubkey (PUB_KEY_ID_… public key) or cert (platform certificate)")
	if code, done := parseNoArgs(fs, args, "wechatpay mock [--addr 127.0.0.1:8080] [--dir DIR] [--mode pubkey|cert]", mockHelp, stdout, stderr); done {
		return code
	}
	if err := serveMock(ctx, f, stdout, stderr); err != nil {
		return report(stderr, err)
	}
	return exitOK
}

// serveMock starts the server, writes the keys and the export lines, and
// serves until ctx is done.
func serveMock(ctx context.Context, f mockFlags, stdout, stderr io.Writer) error {
	mode, err := f.keyMode()
	if err != nil {
		return err
	}
	srv, err := wechatpaytest.New(wechatpaytest.WithAddr(f.addr), wechatpaytest.WithKeyMode(mode))
	if errors.Is(err, syscall.EADDRINUSE) {
		return fmt.Errorf("--addr %s is already in use (another mock?); pick another port, or --addr 127.0.0.1:0 for any free one", f.addr)
	}
	if err != nil {
		return usagef("--addr %s: %w", f.addr, err)
	}
	defer srv.Close()

	dir, temporary := f.dir, f.dir == ""
	if temporary {
		if dir, err = os.MkdirTemp("", "wechatpay-mock-"); err != nil {
			return err
		}
		defer os.RemoveAll(dir)
	} else if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("--dir: %w", err)
	}
	files, err := writeMockKeys(srv, dir)
	if err == nil {
		err = writeMockState(srv, f.mode, files.dir)
	}
	if err != nil {
		return fmt.Errorf("--dir: %w", err)
	}

	fmt.Fprintf(stdout, "# WeChat Pay mock (%s); point the CLI at it with:\n", srv.KeyMode())
	for _, kv := range [][2]string{
		{envMchID, srv.MchID()},
		{envSerial, srv.MerchantSerial()},
		{envPrivateKey, files.privateKey},
		{envCerts, srv.PlatformSerial() + "=" + files.platform},
		{envBaseURL, srv.URL},
		{envAPIv3Key, srv.APIv3Key()}, // the mock's own; callbacks are encrypted with it
		{envMockDir, files.dir},
	} {
		fmt.Fprintf(stdout, "export %s=%s\n", kv[0], shellQuote(kv[1]))
	}
	// A comment, so that the whole output can be sourced by a shell.
	fmt.Fprintf(stdout, "# listening on %s (Ctrl-C to stop)\n", srv.URL)

	logged := watchRequests(ctx, srv, stderr)
	fmt.Fprintf(stderr, "wechatpay mock: stopped after %d requests\n", logged)
	return nil
}

// watchRequests logs each request the server records, one line each, until
// ctx is done, and returns how many it logged.
func watchRequests(ctx context.Context, srv *wechatpaytest.Server, w io.Writer) int {
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	seen := 0
	for {
		select {
		case <-ctx.Done():
			return logNew(srv, w, seen)
		case <-tick.C:
			seen = logNew(srv, w, seen)
		}
	}
}

// logNew logs the records after the first seen and returns the new count.
func logNew(srv *wechatpaytest.Server, w io.Writer, seen int) int {
	reqs := srv.Requests()
	for _, r := range reqs[min(seen, len(reqs)):] {
		sig := "signature ok"
		if !r.Authorized {
			sig = "signature REJECTED: " + r.AuthFailure
		}
		fmt.Fprintf(w, "%s %s %s -> %d (%s)\n", r.Time.Format(time.TimeOnly), r.Method, r.RequestURI, r.Status, sig)
	}
	return len(reqs)
}

// mockFiles are the paths writeMockKeys wrote.
type mockFiles struct {
	dir        string // the absolute directory
	privateKey string // the merchant private key
	platform   string // the file WECHATPAY_CERTS names: certificate or public key
}

// writeMockKeys writes the server's keys to dir: the merchant private key
// readable by its owner only.
func writeMockKeys(srv *wechatpaytest.Server, dir string) (mockFiles, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return mockFiles{}, err
	}
	files := mockFiles{
		dir:        abs,
		privateKey: filepath.Join(abs, "apiclient_key.pem"),
		platform:   filepath.Join(abs, "pub_key.pem"),
	}
	if err := writeFile(files.privateKey, srv.MerchantKeyPEM(), 0o600); err != nil {
		return files, err
	}
	if err := writeFile(files.platform, srv.PlatformPublicKeyPEM(), 0o644); err != nil {
		return files, err
	}
	// The platform private key lets "wechatpay notify" sign callbacks as
	// this mock; a real merchant never holds one.
	if err := writeFile(filepath.Join(abs, "platform_key.pem"), srv.PlatformKeyPEM(), 0o600); err != nil {
		return files, err
	}
	if cert := srv.PlatformCertificatePEM(); cert != nil {
		files.platform = filepath.Join(abs, "wechatpay_cert.pem")
		if err := writeFile(files.platform, cert, 0o644); err != nil {
			return files, err
		}
	}
	return files, nil
}

// writeMockState writes mock.json, what "wechatpay notify" needs besides
// the key files.
func writeMockState(srv *wechatpaytest.Server, mode, dir string) error {
	b, err := json.MarshalIndent(mockState{
		MchID:          srv.MchID(),
		MerchantSerial: srv.MerchantSerial(),
		PlatformSerial: srv.PlatformSerial(),
		Mode:           mode,
		APIv3Key:       srv.APIv3Key(),
	}, "", "  ")
	if err != nil {
		return err
	}
	return writeFile(filepath.Join(dir, mockStateFile), append(b, '\n'), 0o600)
}

// writeFile writes data to path and sets its mode even when the file
// already existed with another one.
func writeFile(path string, data []byte, mode os.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, mode)
	if err != nil {
		return err
	}
	if err := f.Chmod(mode); err != nil {
		f.Close()
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// shellQuote quotes s for a POSIX shell when it holds anything but safe
// characters.
func shellQuote(s string) string {
	safe := s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("_-./:=,+@%", r))
	}) < 0
	if safe {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
