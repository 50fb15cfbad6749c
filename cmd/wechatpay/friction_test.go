package main

// Tests for the first-time-user friction fixed in issue 10, one per item.

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/wechatpay-chain/wechatpay/wechatpaytest"
)

// TestMockRecipeFromHelpCompletes runs the help's background-mock recipe
// verbatim (paths moved to a temporary directory) in sh: it must return,
// with the export lines loaded. The old eval "$(wechatpay mock … & sleep 1)"
// line never returned, as the command substitution waited for the mock.
func TestMockRecipeFromHelpCompletes(t *testing.T) {
	t.Parallel()
	if binary == "" {
		t.Skip("needs the binary; not built in -short mode")
	}
	for _, help := range []string{callHelp, mockHelp} {
		if strings.Contains(help, `eval "$(`) || !strings.Contains(help, mockRecipe) {
			t.Errorf("help does not show the recipe:\n%s", help)
		}
	}
	dir := t.TempDir()
	script := strings.NewReplacer("wechatpay mock", binary+" mock", "/tmp/wxp", filepath.Join(dir, "wxp")).Replace(mockRecipe) +
		`echo "base=$WECHATPAY_BASE_URL key=$WECHATPAY_APIV3_KEY"` + "\n" +
		binary + " get v3/certificates >/dev/null 2>&1; echo \"exit=$?\"\n" +
		"kill $!; wait $! 2>/dev/null; true\n"
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "sh", "-c", script)
	cmd.Env = cleanEnv(nil)
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		t.Fatalf("the recipe did not return within 30 s:\n%s", out)
	}
	if err != nil {
		t.Fatalf("%v:\n%s", err, out)
	}
	if !regexp.MustCompile(`base=http://127\.0\.0\.1:\d+/ key=\w{32}\n`).Match(out) {
		t.Errorf("export lines not loaded:\n%s", out)
	}
	// In the default public key mode v3/certificates answers 404
	// RESOURCE_NOT_EXISTS (exit 1): proof that the call reached the mock.
	if !strings.Contains(string(out), "exit=1\n") {
		t.Errorf("the CLI did not reach the mock with the loaded environment:\n%s", out)
	}
}

// TestJSONFromStdin: --json @- reads stdin.
func TestJSONFromStdin(t *testing.T) { // not parallel: it swaps the package's stdin
	srv := newServer(t)
	env := serverEnv(t, srv)
	old := stdin
	defer func() { stdin = old }()
	stdin = strings.NewReader(`{"out_trade_no":"1217752501201407033233368018","mchid":"1230000109","sub_mchid":"1900000109","bonus_value":30}`)
	r := runCLI(t, env, "post", wechatpaytest.RouteMembercardBonusPrepare, "-p", "card_id=1", "-p", "code=2", "--json", "@-")
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if got := string(srv.Requests()[0].Body); !strings.Contains(got, `"bonus_value":30`) {
		t.Errorf("body sent %s", got)
	}
}

// TestJSONErrorPosition: a syntax error names its line, column and
// surroundings (not "byte 0"), and says when the shell ate the quotes.
func TestJSONErrorPosition(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{`{"a":1,}`, `line 1, column 8 (byte 7), near "{\"a\":1,}"`},
		{"{\n  \"a\": 1\n  \"b\": 2\n}", `line 3, column 3`},
		{`{"a":1`, `byte 6`},
		{`{mchid:1230000109}`, "the shell removed the double quotes"},
		{`hello`, `line 1, column 1 (byte 0)`},
	}
	for _, tt := range tests {
		_, err := readJSON(tt.in)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("readJSON(%q) = %v, want it to contain %q", tt.in, err, tt.want)
		}
	}
}

// TestUnusedVariableNamed: a typo in -p is named with the variable it
// probably meant, next to the missing one.
func TestUnusedVariableNamed(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	r := runCLI(t, serverEnv(t, srv), "post", wechatpaytest.RouteMembercardBonusPrepare, "-p", "cardid=1", "-p", "code=2", "--json", "{}")
	for _, want := range []string{"-p cardid is not a variable of PATH (did you mean -p card_id=…?)", "missing -p card_id=…", `has variables ["card_id" "code"]`} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if r.code != exitUsage || len(srv.Requests()) != 0 {
		t.Errorf("exit %d, %d requests; want 2 and none", r.code, len(srv.Requests()))
	}
}

// TestVariablesHintOnlyForVariableErrors: the "PATH has variables" hint
// is not added to an unrelated error.
func TestVariablesHintOnlyForVariableErrors(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	r := runCLI(t, serverEnv(t, srv), "get", wechatpaytest.RouteQueryByOutTradeNo, "-p", "out_trade_no=1", "--json", "{}")
	if r.code != exitUsage || !strings.Contains(r.stderr, "cannot carry a body") || strings.Contains(r.stderr, "has variables") {
		t.Errorf("exit %d, stderr:\n%s", r.code, r.stderr)
	}
}

// TestURLAsPath: a full URL on the base URL is accepted (its query joins
// -q); one elsewhere is refused with what to do.
func TestURLAsPath(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	env := serverEnv(t, srv)
	r := runCLI(t, env, "post", srv.URL+"v3/pay/transactions/native", "--json",
		`{"appid":"wxd678efh567hg6787","mchid":"1230000109","description":"d","out_trade_no":"URL1","notify_url":"https://example.com/n","amount":{"total":1}}`)
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	r = runCLI(t, env, "get", srv.URL+"v3/pay/transactions/out-trade-no/URL1?mchid=1230000109")
	if r.code != exitOK || !strings.Contains(r.stdout, `"out_trade_no": "URL1"`) {
		t.Fatalf("exit %d: %s %s", r.code, r.stdout, r.stderr)
	}
	if got := srv.Requests()[1].RequestURI; got != "/v3/pay/transactions/out-trade-no/URL1?mchid=1230000109" {
		t.Errorf("sent %s", got)
	}
	r = runCLI(t, env, "get", "https://api.mch.weixin.qq.com/v3/certificates")
	if r.code != exitUsage || !strings.Contains(r.stderr, "outside the configured base URL "+srv.URL) || !strings.Contains(r.stderr, "--base-url") {
		t.Errorf("exit %d: %s", r.code, r.stderr)
	}
	if strings.Contains(r.stderr, "empty path segment") {
		t.Errorf("the old cryptic message: %s", r.stderr)
	}
}

// TestTimeoutNamed: a call cut by --timeout says so and how to change it.
func TestTimeoutNamed(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	srv.Fault("GET", wechatpaytest.RouteCertificates, wechatpaytest.Fault{Delay: 10 * time.Second})
	r := runCLI(t, serverEnv(t, srv), "get", "v3/certificates", "--timeout", "200ms")
	if r.code != exitOther || !strings.Contains(r.stderr, "gave up after --timeout 200ms") || !strings.Contains(r.stderr, "--timeout 2m") {
		t.Errorf("exit %d: %s", r.code, r.stderr)
	}
}

// TestAnswerNotFromWeChatPay: an answer without Request-ID or any
// Wechatpay-* header is said not to come from WeChat Pay, error or not.
func TestAnswerNotFromWeChatPay(t *testing.T) {
	t.Parallel()
	keys := newServer(t)
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/ok") {
			w.Write([]byte(`{"ok":true}`))
			return
		}
		http.Error(w, "<html>502 Bad Gateway</html>", http.StatusBadGateway)
	}))
	defer proxy.Close()
	env := serverEnv(t, keys)
	env[envBaseURL] = proxy.URL + "/"
	r := runCLI(t, env, "get", "v3/certificates")
	if r.code != exitAPI || !strings.Contains(r.stderr, "did NOT come from WeChat Pay") || strings.Contains(r.stderr, "code:") {
		t.Errorf("error answer: exit %d: %s", r.code, r.stderr)
	}
	r = runCLI(t, env, "get", "v3/ok")
	if r.code != exitVerification || !strings.Contains(r.stderr, "did NOT come from WeChat Pay") {
		t.Errorf("2xx answer: exit %d: %s", r.code, r.stderr)
	}
	// A real WeChat Pay error keeps the usual report.
	r = runCLI(t, serverEnv(t, keys), "get", "v3/pay/transactions/out-trade-no/nope", "-q", "mchid=1230000109")
	if r.code != exitAPI || strings.Contains(r.stderr, "did NOT") || !strings.Contains(r.stderr, "ORDER_NOT_EXIST") {
		t.Errorf("real error: exit %d: %s", r.code, r.stderr)
	}
}

// TestMockBusyPort: a port in use is not a usage error, and the message
// suggests a free one.
func TestMockBusyPort(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	r := runCLI(t, nil, "mock", "--addr", l.Addr().String(), "--dir", t.TempDir())
	if r.code != exitOther || !strings.Contains(r.stderr, "already in use") || !strings.Contains(r.stderr, "--addr 127.0.0.1:0") {
		t.Errorf("exit %d: %s", r.code, r.stderr)
	}
}

// TestBodyVerboseRetry: --body is sent byte for byte, -v shows both sides'
// headers with Authorization redacted, --retry retries a 503.
func TestBodyVerboseRetry(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	env := serverEnv(t, srv)
	body := `{ "out_trade_no" : "1217752501201407033233368018", "mchid":"1230000109","sub_mchid":"1900000109","bonus_value":30 }`
	srv.Fault("POST", wechatpaytest.RouteMembercardBonusPrepare, wechatpaytest.Fault{Status: 503, Times: 1})
	r := runCLI(t, env, "post", wechatpaytest.RouteMembercardBonusPrepare, "-p", "card_id=1", "-p", "code=2",
		"--body", body, "-v", "--retry", "2")
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	reqs := srv.Requests()
	if len(reqs) != 2 || string(reqs[1].Body) != body || reqs[1].Header.Get("Content-Type") != "application/json" {
		t.Fatalf("%d requests; last body %q, Content-Type %q", len(reqs), reqs[len(reqs)-1].Body, reqs[len(reqs)-1].Header.Get("Content-Type"))
	}
	for _, want := range []string{
		"> POST /v3/marketing/membercard-open/cards/1/codes/2/bonus/prepare\n",
		"> Authorization: WECHATPAY2-SHA256-RSA2048 <redacted>\n",
		"< HTTP 503 Service Unavailable\n",
		"< HTTP 204 No Content\n",
		"< Wechatpay-Serial: " + srv.PlatformSerial() + "\n",
	} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("-v output lacks %q:\n%s", want, r.stderr)
		}
	}
	if strings.Contains(r.stderr, "signature=") || strings.Contains(r.stderr, "mchid=") {
		t.Errorf("-v leaked the Authorization value:\n%s", r.stderr)
	}
	r = runCLI(t, env, "post", wechatpaytest.RouteMembercardBonusPrepare, "--body", "{}", "--json", "{}", "-p", "card_id=1", "-p", "code=2")
	if r.code != exitUsage || !strings.Contains(r.stderr, "exclusive") {
		t.Errorf("--body with --json: exit %d: %s", r.code, r.stderr)
	}
}

// TestMockStateForNotify: the mock writes what notify needs, the private
// files readable by the owner only.
func TestMockStateForNotify(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	dir := t.TempDir()
	files, err := writeMockKeys(srv, dir)
	if err == nil {
		err = writeMockState(srv, "pubkey", files.dir)
	}
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"platform_key.pem", mockStateFile} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v %v, want mode 0600", name, err, fi)
		}
	}
}
