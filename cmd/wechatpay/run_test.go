package main

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/wechatpay-chain/wechatpay/wechatpaytest"
)

func TestHelp(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args []string
		want []string // substrings of stdout
	}{
		{[]string{"--help"}, []string{"Commands:", "demo", "mock", "Exit codes:"}},
		{[]string{"-h"}, []string{"Examples:"}},
		{[]string{"help", "post"}, []string{"wechatpay post PATH", "--json", "WECHATPAY_CERTS", "Exit codes:"}},
		{[]string{"demo", "-h"}, []string{"Usage:\n  wechatpay demo", "six times"}},
		{[]string{"mock", "--help"}, []string{"--addr", "--dir", "--mode", "(default 127.0.0.1:8080)", "0600"}},
		{[]string{"version"}, []string{"wechatpay 0."}},
		{[]string{"download", "-h"}, []string{"wechatpay download URL -o FILE", "--sha1", "--gunzip", "5 checksum mismatch"}},
		{[]string{"bill", "-h"}, []string{"--date", "--type", "--account", "--gzip", "hash_value"}},
		{[]string{"upload", "-h"}, []string{"wechatpay upload PATH FILE", "--meta", "--field"}},
		{[]string{"notify", "-h"}, []string{"wechatpay notify URL", "--event", "--resource", envMockDir}},
		{[]string{"--help"}, []string{"download", "bill", "upload", "notify", "5 downloaded file's checksum mismatch"}},
	}
	for _, name := range []string{"get", "post", "put", "patch", "delete"} {
		tests = append(tests, struct {
			args []string
			want []string
		}{[]string{name, "-h"}, []string{"wechatpay " + name + " PATH", "-p name=value", "-q name=value", "-H 'Name: value'", "--private-key file", "Examples:"}})
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			t.Parallel()
			r := runCLI(t, nil, tt.args...)
			if r.code != exitOK || r.stderr != "" {
				t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(r.stdout, w) {
					t.Errorf("help lacks %q:\n%s", w, r.stdout)
				}
			}
		})
	}
}

func TestUsageErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args []string
		env  map[string]string
		want string // substring of stderr
	}{
		{nil, nil, "Commands:"},
		{[]string{"frobnicate"}, nil, `unknown command "frobnicate"`},
		{[]string{"demo", "extra"}, nil, `unexpected argument "extra"`},
		{[]string{"demo", "--nope"}, nil, "flag provided but not defined"},
		{[]string{"mock", "--mode", "hsm"}, nil, `--mode "hsm": want pubkey or cert`},
		{[]string{"mock", "--addr", "256.0.0.1:x"}, nil, "--addr 256.0.0.1:x"},
		{[]string{"get"}, nil, "missing PATH"},
		{[]string{"get", "v3/certificates"}, nil, "missing credentials: set WECHATPAY_MCHID"},
		{[]string{"get", "v3/certificates"}, map[string]string{envCerts: "abc"}, "missing credentials"},
	}
	for _, tt := range tests {
		r := runCLI(t, tt.env, tt.args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, tt.want) {
			t.Errorf("run %q: exit %d, stderr %q; want exit %d and %q", tt.args, r.code, r.stderr, exitUsage, tt.want)
		}
	}
}

func TestDemo(t *testing.T) {
	t.Parallel()
	r := runCLI(t, nil, "demo")
	if r.code != exitOK {
		t.Fatalf("demo exited %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{
		"[1/6] sync, declarative template", "[2/6] sync, segment chain", "[3/6] sync, step-by-step chain",
		"[4/6] async, declarative template", "[5/6] async, segment chain", "[6/6] async, step-by-step chain",
		"6 of 6 styles succeeded.",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("demo output lacks %q", want)
		}
	}
	const line = "  request:  POST /v3/marketing/membercard-open/cards/478515832665/codes/478515832665/bonus/prepare\n"
	for s, n := range map[string]int{
		line: 6,
		"  server verified the request signature: yes\n": 6,
		"  client verified the answer signature:  yes\n": 6,
		"  answer:   204 No Content (empty body)":        6,
	} {
		if got := strings.Count(r.stdout, s); got != n {
			t.Errorf("demo printed %q %d times, want %d", s, got, n)
		}
	}
}

// TestCallExitCodes runs the call subcommands in-process against a
// wechatpaytest server, one outcome per exit code. The tampered answer is
// tested here rather than against the mock process: injecting faults is a
// test-only ability of wechatpaytest, and the mock should not grow a hidden
// flag that makes it lie to users.
func TestCallExitCodes(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	srv.Handle(http.MethodGet, "v3/merchant/fund/balance/{account_type}", func(*wechatpaytest.Request) wechatpaytest.Reply {
		return wechatpaytest.JSON(http.StatusOK, wechatpaytest.M{"available_amount": 100, "pending_amount": 0})
	})
	srv.Fault(http.MethodGet, "v3/merchant/fund/balance/{account_type}", wechatpaytest.Fault{TamperSignature: true})
	srv.Fault(http.MethodGet, wechatpaytest.RouteCertificates, wechatpaytest.Fault{DropSignatureHeader: wechatpaytest.HeaderSignature, Status: 200})
	env := serverEnv(t, srv)
	refused := map[string]string{}
	for k, v := range env {
		refused[k] = v
	}
	refused[envBaseURL] = "http://127.0.0.1:1/"

	seed := []string{"post", "v3/marketing/membercard-open/cards/{card_id}/codes/{code}/bonus/prepare", "-p", "card_id=478515832665", "-p", "code=478515832665",
		"--json", `{"out_trade_no":"1217752501201407033233368018","mchid":"1230000109","sub_mchid":"1900000109","bonus_value":30}`}
	tests := []struct {
		name   string
		env    map[string]string
		args   []string
		code   int
		stdout string // regexp; "" means empty
		stderr string // regexp; "" means empty
	}{
		{name: "seed", env: env, args: seed, code: exitOK, stderr: `^HTTP 204 No Content \(request id \w+\)\n$`},
		{name: "seed -i", env: env, args: append(seed, "-i"), code: exitOK, stdout: `(?s)^HTTP 204 No Content\n.*Request-Id: \w+\n.*Wechatpay-Signature: .*\n\n$`},
		{name: "not found", env: env, args: []string{"get", "v3/pay/transactions/out-trade-no/{out_trade_no}", "-p", "out_trade_no=nope", "-q", "mchid=1230000109"},
			code: exitAPI, stderr: `(?s)HTTP 404\n  code: +ORDER_NOT_EXIST\n  message: +\S.*\n  request id: +\w+\n$`},
		{name: "not found -i", env: env, args: []string{"get", "v3/pay/transactions/out-trade-no/{out_trade_no}", "-i", "-p", "out_trade_no=nope", "-q", "mchid=1230000109"},
			code: exitAPI, stdout: `(?s)^HTTP 404 Not Found\n.*\n\n\{\n  "code": "ORDER_NOT_EXIST",`, stderr: `ORDER_NOT_EXIST`},
		{name: "unknown variable", env: env, args: []string{"get", "v3/pay/transactions/out-trade-no/{out_trade_no}", "-p", "out_trade_no=x", "-p", "typo=1"},
			code: exitUsage, stderr: `-p typo is not a variable of PATH(?s).*PATH v3/pay/transactions/out-trade-no/\{out_trade_no\} has variables \["out_trade_no"\]`},
		{name: "missing variable", env: env, args: []string{"get", "v3/pay/transactions/out-trade-no/{out_trade_no}"},
			code: exitUsage, stderr: `missing -p out_trade_no=…`},
		{name: "dot segment", env: env, args: []string{"get", "v3/pay/transactions/id/{id}", "-p", "id=.."}, code: exitUsage, stderr: `template error`},
		{name: "body on GET", env: env, args: []string{"get", "v3/certificates", "--json", "{}"}, code: exitUsage, stderr: `cannot carry a body`},
		{name: "tampered signature", env: env, args: []string{"get", "v3/merchant/fund/balance/{account_type}", "-p", "account_type=BASIC"},
			code: exitVerification, stderr: `NOT trusted`},
		{name: "missing signature header", env: env, args: []string{"get", "v3/certificates"}, code: exitVerification, stderr: `Wechatpay-Signature`},
		{name: "connection refused", env: refused, args: []string{"get", "v3/certificates", "--timeout", "5s"}, code: exitOther, stderr: `connection refused`},
	}
	for _, tt := range tests {
		r := runCLI(t, tt.env, tt.args...)
		if r.code != tt.code {
			t.Errorf("%s: exit %d, want %d\nstdout: %s\nstderr: %s", tt.name, r.code, tt.code, r.stdout, r.stderr)
			continue
		}
		for _, out := range []struct{ name, got, want string }{{"stdout", r.stdout, tt.stdout}, {"stderr", r.stderr, tt.stderr}} {
			if out.want == "" {
				if out.got != "" {
					t.Errorf("%s: %s = %q, want empty", tt.name, out.name, out.got)
				}
			} else if !regexp.MustCompile(out.want).MatchString(out.got) {
				t.Errorf("%s: %s = %q, want match for %s", tt.name, out.name, out.got, out.want)
			}
		}
		if strings.Contains(r.stdout+r.stderr, "PRIVATE KEY") {
			t.Errorf("%s: key material in the output", tt.name)
		}
	}
}

// TestMockInProcess runs the mock subcommand in-process on a free port,
// calls it through run, and stops it by cancelling the context.
func TestMockInProcess(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "keys", "nested")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stdout, stderr := newNotifyBuffer(), newNotifyBuffer()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"mock", "--addr", "127.0.0.1:0", "--dir", dir, "--mode", "cert"}, stdout, stderr, os.Getenv)
	}()
	out, ok := stdout.waitFor("# listening on ", 10*time.Second)
	if !ok {
		cancel()
		<-done
		t.Fatalf("no listening line; stdout %q stderr %q", out, stderr.String())
	}
	env := parseExports(t, out)
	if !strings.HasPrefix(env[envCerts], "") || !strings.HasSuffix(env[envCerts], "wechatpay_cert.pem") {
		t.Errorf("cert mode: %s = %q, want the certificate file", envCerts, env[envCerts])
	}
	for name, want := range map[string]os.FileMode{"apiclient_key.pem": 0o600, "pub_key.pem": 0o644, "wechatpay_cert.pem": 0o644} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil || fi.Mode().Perm() != want {
			t.Errorf("%s: %v, mode %v; want %v", name, err, fi, want)
		}
	}
	r := runCLI(t, env, "get", "v3/certificates")
	if r.code != exitOK || !strings.Contains(r.stdout, `"encrypt_certificate"`) {
		t.Errorf("get v3/certificates: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if _, ok := stderr.waitFor("", 5*time.Second); !ok {
		t.Error("the mock logged nothing")
	}
	cancel()
	select {
	case code := <-done:
		if code != exitOK {
			t.Errorf("mock exited %d; stderr %s", code, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("mock did not stop within 10 s of cancellation")
	}
	if !strings.Contains(stderr.String(), "GET /v3/certificates -> 200 (signature ok)") {
		t.Errorf("mock log lacks the request:\n%s", stderr.String())
	}
}

// parseExports reads the "export NAME=value" lines the mock prints.
func parseExports(t *testing.T, out string) map[string]string {
	t.Helper()
	env := map[string]string{}
	for line := range strings.SplitSeq(out, "\n") {
		kv, ok := strings.CutPrefix(line, "export ")
		if !ok {
			continue
		}
		k, v, _ := strings.Cut(kv, "=")
		if len(v) >= 2 && v[0] == '\'' && v[len(v)-1] == '\'' {
			v = strings.ReplaceAll(v[1:len(v)-1], `'\''`, "'")
		}
		env[k] = v
	}
	for _, k := range []string{envMchID, envSerial, envPrivateKey, envCerts, envBaseURL, envAPIv3Key, envMockDir} {
		if env[k] == "" {
			t.Fatalf("mock printed no %s:\n%s", k, out)
		}
	}
	return env
}
