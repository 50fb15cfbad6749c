package bench

import (
	"bufio"
	"context"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"

	"github.com/wechatpay-chain/wechatpay/wechatpaytest"
)

// childEnv, when set to 1, makes the test binary run the server instead of
// the tests.
const childEnv = "WECHATPAY_BENCH_SERVER"

// Latency is what the slow server adds to every answer (the scaling
// benchmarks).
const Latency = 20 * time.Millisecond

// handshake is what the server process tells the benchmark process, as one
// JSON line on stdout.
type handshake struct {
	FastURL        string // answers at once
	SlowURL        string // answers after Latency
	MchID          string
	MerchantSerial string
	MerchantKeyPEM []byte
	PlatformSerial string // a PUB_KEY_ID_… id: public key mode
	PlatformKeyPEM []byte
	APIv3Key       string
	OrderNo        string // an order the GET queries
	TamperedNo     string // an order whose answer carries a broken signature
}

// notification is one signed callback, as the server process sends it on
// request.
type notification struct {
	Header http.Header
	Body   []byte
}

// env is the benchmark process's view of the server process.
type env struct {
	handshake
	merchantKey *rsa.PrivateKey
	platformKey *rsa.PublicKey

	mu     sync.Mutex // serialises the stdin/stdout exchange
	stdin  io.WriteCloser
	stdout *bufio.Reader
	cmd    *exec.Cmd
}

var srv *env

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		if err := serveChild(os.Stdin, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "bench server:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	var err error
	srv, err = startChild()
	if err != nil {
		fmt.Fprintln(os.Stderr, "starting the bench server:", err)
		os.Exit(1)
	}
	code := m.Run()
	srv.stop()
	os.Exit(code)
}

// startChild runs this test binary again as the server process and reads
// its handshake.
func startChild() (*env, error) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"=1")
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	e := &env{stdin: stdin, stdout: bufio.NewReader(stdout), cmd: cmd}
	if err := e.readLine(&e.handshake); err != nil {
		e.stop()
		return nil, fmt.Errorf("handshake: %w", err)
	}
	if e.merchantKey, err = parsePrivateKey(e.MerchantKeyPEM); err != nil {
		e.stop()
		return nil, err
	}
	if e.platformKey, err = parsePublicKey(e.PlatformKeyPEM); err != nil {
		e.stop()
		return nil, err
	}
	return e, nil
}

func (e *env) readLine(v any) error {
	line, err := e.stdout.ReadBytes('\n')
	if err != nil {
		return err
	}
	return json.Unmarshal(line, v)
}

// notification asks the server process for a freshly signed callback.
func (e *env) notification() (notification, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	var n notification
	if _, err := io.WriteString(e.stdin, "notify\n"); err != nil {
		return n, err
	}
	err := e.readLine(&n)
	return n, err
}

// stop ends the server process: it exits when its stdin closes.
func (e *env) stop() {
	e.stdin.Close()
	done := make(chan error, 1)
	go func() { done <- e.cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		e.cmd.Process.Kill()
		<-done
	}
}

func parsePrivateKey(p []byte) (*rsa.PrivateKey, error) {
	b, _ := pem.Decode(p)
	if b == nil {
		return nil, errors.New("merchant key: no PEM block")
	}
	k, err := x509.ParsePKCS8PrivateKey(b.Bytes)
	if err != nil {
		return nil, err
	}
	rk, ok := k.(*rsa.PrivateKey)
	if !ok {
		return nil, errors.New("merchant key: not RSA")
	}
	return rk, nil
}

func parsePublicKey(p []byte) (*rsa.PublicKey, error) {
	b, _ := pem.Decode(p)
	if b == nil {
		return nil, errors.New("platform key: no PEM block")
	}
	k, err := x509.ParsePKIXPublicKey(b.Bytes)
	if err != nil {
		return nil, err
	}
	rk, ok := k.(*rsa.PublicKey)
	if !ok {
		return nil, errors.New("platform key: not RSA")
	}
	return rk, nil
}

// serveChild is the server process: a fast and a slow wechatpaytest server
// with the same keys, two orders to query, and a callback on every
// "notify" line read from in. It returns when in ends.
func serveChild(in io.Reader, out io.Writer) error {
	fast, err := wechatpaytest.New()
	if err != nil {
		return err
	}
	defer fast.Close()
	slow, err := wechatpaytest.New(
		wechatpaytest.WithMerchantKey(fast.MerchantKey(), fast.MerchantSerial()),
		wechatpaytest.WithPlatformKey(nil, fast.PlatformSerial()), // nil: the process's shared platform key
		wechatpaytest.WithAPIv3Key(fast.APIv3Key()),
	)
	if err != nil {
		return err
	}
	defer slow.Close()
	if !slow.PlatformKey().Equal(fast.PlatformKey()) {
		return errors.New("the two servers sign with different platform keys")
	}

	h := handshake{
		FastURL:        fast.URL,
		SlowURL:        slow.URL,
		MchID:          fast.MchID(),
		MerchantSerial: fast.MerchantSerial(),
		MerchantKeyPEM: fast.MerchantKeyPEM(),
		PlatformSerial: fast.PlatformSerial(),
		PlatformKeyPEM: fast.PlatformPublicKeyPEM(),
		APIv3Key:       fast.APIv3Key(),
		OrderNo:        "BENCH20261201000001",
		TamperedNo:     "BENCH20261201TAMPER",
	}
	for _, s := range []*wechatpaytest.Server{fast, slow} {
		for _, no := range []string{h.OrderNo, h.TamperedNo} {
			if err := createOrder(s, no); err != nil {
				return err
			}
		}
		// Registered first, so it applies before the slow server's delay.
		s.Fault("GET", "v3/pay/transactions/out-trade-no/"+h.TamperedNo, wechatpaytest.Fault{TamperSignature: true})
	}
	slow.Fault("*", "*", wechatpaytest.Fault{Delay: Latency})

	stopForget := forgetRecords(fast, slow)
	defer stopForget()

	enc := json.NewEncoder(out)
	if err := enc.Encode(h); err != nil {
		return err
	}
	lines := bufio.NewScanner(in)
	for lines.Scan() {
		if lines.Text() != "notify" {
			return fmt.Errorf("unknown command %q", lines.Text())
		}
		n, err := newNotification(fast)
		if err != nil {
			return err
		}
		if err := enc.Encode(n); err != nil {
			return err
		}
	}
	return lines.Err()
}

// createOrder makes the order the GET benchmark queries (setup, not measured).
func createOrder(s *wechatpaytest.Server, no string) error {
	c, err := s.Client()
	if err != nil {
		return err
	}
	defer c.CloseIdleConnections()
	_, err = c.Chain(wechatpaytest.RouteNativePrepay).Post(context.Background(), map[string]any{
		"json": map[string]any{
			"appid":        "wxd678efh567hg6787",
			"mchid":        s.MchID(),
			"description":  "Image形象店-深圳腾大-QQ公仔",
			"out_trade_no": no,
			"notify_url":   "https://www.weixin.qq.com/wxpay/pay.php",
			"amount":       map[string]any{"total": 100, "currency": "CNY"},
			"attach":       "自定义数据说明",
		},
	})
	return err
}

// forgetRecords drops the servers' request records every second, so that a
// long run does not grow the server process.
func forgetRecords(servers ...*wechatpaytest.Server) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				for _, s := range servers {
					s.Reset()
				}
			case <-done:
				return
			}
		}
	})
	return func() { close(done); wg.Wait() }
}

// transactionResource is the decrypted resource of the benchmark callback:
// a paid transaction as WeChat Pay sends it.
var transactionResource = map[string]any{
	"mchid":            "1230000109",
	"appid":            "wxd678efh567hg6787",
	"out_trade_no":     "1217752501201407033233368018",
	"transaction_id":   "1217752501201407033233368018",
	"trade_type":       "NATIVE",
	"trade_state":      "SUCCESS",
	"trade_state_desc": "支付成功",
	"bank_type":        "CMC",
	"attach":           "自定义数据",
	"success_time":     "2026-12-01T10:34:56+08:00",
	"payer":            map[string]any{"openid": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"},
	"amount":           map[string]any{"total": 100, "payer_total": 100, "currency": "CNY", "payer_currency": "CNY"},
}

func newNotification(s *wechatpaytest.Server) (notification, error) {
	req, err := s.NewNotifyRequest(context.Background(), "https://merchant.example/wxpay/notify", "TRANSACTION.SUCCESS", transactionResource)
	if err != nil {
		return notification{}, err
	}
	body, err := io.ReadAll(req.Body)
	if err != nil {
		return notification{}, err
	}
	return notification{Header: req.Header, Body: body}, nil
}
