package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/wechatpay-chain/wechatpay/wechatpaytest"
)

// binary is the CLI built once by TestMain for the end-to-end tests; empty
// in -short mode.
var binary string

func TestMain(m *testing.M) {
	flag.Parse()
	code, err := buildAndRun(m)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if code == 0 {
		if err := goleak.Find(); err != nil {
			fmt.Fprintln(os.Stderr, "goleak:", err)
			code = 1
		}
	}
	os.Exit(code)
}

// buildAndRun builds the binary (unless -short) into a temporary directory,
// runs the tests and removes the directory.
func buildAndRun(m *testing.M) (int, error) {
	if !testing.Short() {
		dir, err := os.MkdirTemp("", "wechatpay-cli-test-")
		if err != nil {
			return 0, err
		}
		defer os.RemoveAll(dir)
		binary = filepath.Join(dir, "wechatpay")
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		// The toolchain that built this test binary builds the CLI too.
		//lint:ignore SA1019 the test's own toolchain is wanted, not whichever go is on PATH
		goTool := filepath.Join(runtime.GOROOT(), "bin", "go")
		build := exec.CommandContext(ctx, goTool, "build", "-o", binary, ".")
		if out, err := build.CombinedOutput(); err != nil {
			return 0, fmt.Errorf("building the CLI: %v\n%s", err, out)
		}
	}
	return m.Run(), nil
}

// result is what one run of the CLI produced.
type result struct {
	code           int
	stdout, stderr string
}

// runCLI calls run in-process with env as the whole environment.
func runCLI(t *testing.T, env map[string]string, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	code := run(ctx, args, &stdout, &stderr, func(k string) string { return env[k] })
	return result{code, stdout.String(), stderr.String()}
}

// writeTemp writes data to a new file in t's temporary directory.
func writeTemp(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// serverEnv returns the WECHATPAY_* environment that points the CLI at srv.
func serverEnv(t *testing.T, srv *wechatpaytest.Server) map[string]string {
	t.Helper()
	platform := writeTemp(t, "pub_key.pem", srv.PlatformPublicKeyPEM())
	if cert := srv.PlatformCertificatePEM(); cert != nil {
		platform = writeTemp(t, "wechatpay_cert.pem", cert)
	}
	return map[string]string{
		envMchID:      srv.MchID(),
		envSerial:     srv.MerchantSerial(),
		envPrivateKey: writeTemp(t, "apiclient_key.pem", srv.MerchantKeyPEM()),
		envCerts:      srv.PlatformSerial() + "=" + platform,
		envBaseURL:    srv.URL,
	}
}

// newServer starts a wechatpaytest server closed at the end of the test.
func newServer(t *testing.T, opts ...wechatpaytest.Option) *wechatpaytest.Server {
	t.Helper()
	srv := wechatpaytest.NewServer(opts...)
	t.Cleanup(srv.Close)
	return srv
}

// notifyBuffer is a goroutine-safe buffer that signals every write, so a
// test can wait for output without sleeping.
type notifyBuffer struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	notify chan struct{}
}

func newNotifyBuffer() *notifyBuffer { return &notifyBuffer{notify: make(chan struct{}, 1)} }

func (b *notifyBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	n, err := b.buf.Write(p)
	select {
	case b.notify <- struct{}{}:
	default:
	}
	return n, err
}

func (b *notifyBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// waitFor waits until the buffer holds a line starting with prefix, or the
// deadline passes, and returns the text so far.
func (b *notifyBuffer) waitFor(prefix string, deadline time.Duration) (string, bool) {
	timer := time.NewTimer(deadline)
	defer timer.Stop()
	for {
		s := b.String()
		lines := strings.Split(s, "\n")
		for _, line := range lines[:len(lines)-1] { // complete lines only
			if strings.HasPrefix(line, prefix) {
				return s, true
			}
		}
		select {
		case <-b.notify:
		case <-timer.C:
			return b.String(), false
		}
	}
}
