package main

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// startMock runs "wechatpay mock" as a real process on a free loopback
// port, waits for its "listening on" line and returns the environment it
// printed. The process is stopped with SIGTERM (SIGKILL after 10 s) when
// the test ends, and must exit 0.
func startMock(t *testing.T, dir string) map[string]string {
	t.Helper()
	if binary == "" {
		t.Skip("end-to-end tests need the binary; not built in -short mode")
	}
	stdout, stderr := newNotifyBuffer(), newNotifyBuffer()
	cmd := exec.Command(binary, "mock", "--addr", "127.0.0.1:0", "--dir", dir)
	cmd.Env = cleanEnv(nil)
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case err := <-exited:
			if err != nil {
				t.Errorf("mock exited with %v; stderr:\n%s", err, stderr.String())
			}
			if !strings.Contains(stderr.String(), "wechatpay mock: stopped after") {
				t.Errorf("mock did not shut down cleanly; stderr:\n%s", stderr.String())
			}
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
			t.Errorf("mock ignored SIGTERM for 10 s; killed")
		}
	})
	out, ok := stdout.waitFor("# listening on ", 15*time.Second)
	if !ok {
		t.Fatalf("mock printed no listening line; stdout %q stderr %q", out, stderr.String())
	}
	return parseExports(t, out)
}

// cleanEnv is the test process's environment without WECHATPAY_*, plus env.
func cleanEnv(env map[string]string) []string {
	var out []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "WECHATPAY_") {
			out = append(out, kv)
		}
	}
	for k, v := range env {
		out = append(out, k+"="+v)
	}
	return out
}

// runBinary runs the built CLI with env and returns what it produced.
func runBinary(t *testing.T, env map[string]string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Env = cleanEnv(env)
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		code = ee.ExitCode()
	case err != nil:
		t.Fatalf("running %q: %v", args, err)
	}
	return result{code, stdout.String(), stderr.String()}
}

func TestEndToEnd(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "mock-keys")
	env := startMock(t, dir)

	fi, err := os.Stat(env[envPrivateKey])
	if err != nil || fi.Mode().Perm() != 0o600 || filepath.Dir(env[envPrivateKey]) != dir {
		t.Errorf("private key file %s: %v %v; want mode 0600 in %s", env[envPrivateKey], err, fi, dir)
	}

	order := `{"appid":"wxd678efh567hg6787","mchid":"` + env[envMchID] + `","description":"Image形象店-深圳腾大-QQ公仔",` +
		`"out_trade_no":"1217752501201407033233368018","notify_url":"https://www.weixin.qq.com/wxpay/pay.php","amount":{"total":100,"currency":"CNY"}}`
	orderFile := writeTemp(t, "order.json", []byte(order))

	t.Run("post native order from @file", func(t *testing.T) {
		r := runBinary(t, env, "post", "v3/pay/transactions/native", "--json", "@"+orderFile)
		if r.code != exitOK || !strings.Contains(r.stdout, `"code_url": "weixin://wxpay/bizpayurl?pr=`) {
			t.Fatalf("exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
		}
	})
	t.Run("get by out-trade-no with placeholder and query", func(t *testing.T) {
		r := runBinary(t, env, "get", "v3/pay/transactions/out-trade-no/{out_trade_no}",
			"-p", "out_trade_no=1217752501201407033233368018", "-q", "mchid="+env[envMchID])
		if r.code != exitOK || r.stderr != "" {
			t.Fatalf("exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
		}
		want := "{\n  \"amount\": {\n    \"currency\": \"CNY\",\n    \"total\": 100\n  },\n  \"appid\": \"wxd678efh567hg6787\",\n"
		if !strings.HasPrefix(r.stdout, want) || !strings.Contains(r.stdout, `  "trade_state": "NOTPAY",`) {
			t.Errorf("stdout is not the pretty-printed order:\n%s", r.stdout)
		}
	})
	t.Run("seed post with placeholders and JSON", func(t *testing.T) {
		r := runBinary(t, env, "post", "v3/marketing/membercard-open/cards/{card_id}/codes/{code}/bonus/prepare",
			"-p", "card_id=478515832665", "-p", "code=478515832665", "-i",
			"--json", `{"out_trade_no":"1217752501201407033233368018","mchid":"1230000109","sub_mchid":"1900000109","bonus_value":30}`)
		if r.code != exitOK || !strings.HasPrefix(r.stdout, "HTTP 204 No Content\n") || r.stderr != "" {
			t.Fatalf("exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
		}
	})
	t.Run("flags override env", func(t *testing.T) {
		bad := map[string]string{}
		for k, v := range env {
			bad[k] = v
		}
		bad[envBaseURL] = "http://127.0.0.1:1/"
		r := runBinary(t, bad, "get", "v3/pay/transactions/out-trade-no/{out_trade_no}", "--base-url", env[envBaseURL],
			"-p", "out_trade_no=nope", "-q", "mchid="+env[envMchID])
		if r.code != exitAPI || !strings.Contains(r.stderr, "ORDER_NOT_EXIST") {
			t.Fatalf("exit %d\nstderr: %s", r.code, r.stderr)
		}
	})
	t.Run("wrong private key", func(t *testing.T) {
		key, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			t.Fatal(err)
		}
		der, err := x509.MarshalPKCS8PrivateKey(key)
		if err != nil {
			t.Fatal(err)
		}
		wrong := map[string]string{}
		for k, v := range env {
			wrong[k] = v
		}
		wrong[envPrivateKey] = writeTemp(t, "wrong_key.pem", pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
		r := runBinary(t, wrong, "post", "v3/marketing/membercard-open/cards/{card_id}/codes/{code}/bonus/prepare",
			"-p", "card_id=478515832665", "-p", "code=478515832665",
			"--json", `{"out_trade_no":"1217752501201407033233368018","mchid":"1230000109","sub_mchid":"1900000109","bonus_value":30}`)
		got := struct {
			Code     int
			HTTP401  bool
			SignErr  bool
			ReqID    bool
			NoStdout bool
		}{r.code, strings.Contains(r.stderr, "HTTP 401"), strings.Contains(r.stderr, "code:       SIGN_ERROR"),
			strings.Contains(r.stderr, "request id: 08"), r.stdout == ""}
		want := struct {
			Code     int
			HTTP401  bool
			SignErr  bool
			ReqID    bool
			NoStdout bool
		}{exitAPI, true, true, true, true}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("wrong key (-want +got):\n%s\nstderr: %s", diff, r.stderr)
		}
		if strings.Contains(r.stderr, "PRIVATE KEY") || strings.Contains(r.stderr, "signature=") {
			t.Errorf("secrets on stderr: %s", r.stderr)
		}
	})
	t.Run("usage error from the binary", func(t *testing.T) {
		r := runBinary(t, nil, "get", "v3/certificates")
		if r.code != exitUsage || !strings.Contains(r.stderr, "missing credentials") {
			t.Fatalf("exit %d\nstderr: %s", r.code, r.stderr)
		}
	})
}
