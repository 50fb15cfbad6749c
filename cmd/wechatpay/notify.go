package main

import (
	"context"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/wechatpay-chain/wechatpay/wechatpaytest"
)

// envMockDir names the directory of a running mock's keys.
const envMockDir = "WECHATPAY_MOCK_DIR"

// mockStateFile is the file in the mock's directory describing it, for
// "notify".
const mockStateFile = "mock.json"

// mockState is what "notify" needs to sign and encrypt as the mock does.
type mockState struct {
	MchID          string `json:"mchid"`
	MerchantSerial string `json:"merchant_serial"`
	PlatformSerial string `json:"platform_serial"`
	Mode           string `json:"mode"` // "pubkey" or "cert"
	APIv3Key       string `json:"apiv3_key"`
}

// notifyHelp is the text after the flags in "wechatpay notify -h".
const notifyHelp = `Sends a WeChat Pay callback to URL (your own notify endpoint, for testing
it): the resource JSON is encrypted with AEAD_AES_256_GCM under the mock's
APIv3 key, and the envelope signed with the mock's platform key in the four
Wechatpay-* headers, exactly as the mock server would send it. A handler
configured with the mock's platform key (pub_key.pem, or the certificate)
and APIv3 key verifies and decrypts it.

The keys come from the directory of a running or earlier "wechatpay mock
--dir DIR" (--dir, or WECHATPAY_MOCK_DIR from its export lines).

Without --resource, a sample resource for --event is sent (a paid Native
order for TRANSACTION.*, a successful refund for REFUND.*).

Examples:
  wechatpay notify http://127.0.0.1:9000/wxpay/notify --event TRANSACTION.SUCCESS --resource @paid.json
  wechatpay notify http://127.0.0.1:9000/wxpay/notify --event REFUND.SUCCESS

Exit codes: 0 the handler answered 2xx, 1 it answered something else,
2 usage error, 4 network or other error.
`

// runNotify is the notify subcommand.
func runNotify(ctx context.Context, name string, args []string, stdout, stderr io.Writer, env func(string) string) int {
	var dir, event, resource string
	var timeout time.Duration
	fs := newFlagSet(name)
	fs.StringVar(&dir, "dir", "", "the mock's key `directory` (env "+envMockDir+")")
	fs.StringVar(&event, "event", "TRANSACTION.SUCCESS", "the callback's event_type")
	fs.StringVar(&resource, "resource", "", "the resource `JSON` to encrypt, inline, @file or @- (default a sample for --event)")
	fs.DurationVar(&timeout, "timeout", 10*time.Second, "give up after this `duration`")
	synopsis := "wechatpay notify URL [--event TRANSACTION.SUCCESS] [--resource JSON|@file|@-] [--dir DIR]"
	positional, err := parseInterspersed(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		printHelp(stdout, fs, synopsis, notifyHelp)
		return exitOK
	}
	if err == nil && len(positional) != 1 {
		err = usagef("want one URL, got %d arguments", len(positional))
	}
	if dir == "" {
		dir = strings.TrimSpace(env(envMockDir))
	}
	if err == nil && dir == "" {
		err = usagef("missing --dir: the directory of \"wechatpay mock --dir DIR\" (or set %s)", envMockDir)
	}
	var body []byte
	if err == nil && resource != "" {
		var raw json.RawMessage
		if raw, err = readJSON(resource); err != nil {
			err = usagef("--resource: %w", err)
		}
		body = raw
	}
	if err != nil {
		return usageFailure(stderr, name, err)
	}
	srv, err := mockFromDir(dir)
	if err != nil {
		return report(stderr, err)
	}
	defer srv.Close()
	if body == nil {
		body = sampleResource(srv, event)
	}
	ctx, cancel := withTimeout(ctx, timeout)
	defer cancel()
	req, err := srv.NewNotifyRequest(ctx, positional[0], event, body)
	if err != nil {
		return report(stderr, usagef("URL: %w", err))
	}
	client := &http.Client{}
	defer client.CloseIdleConnections()
	resp, err := client.Do(req)
	if err != nil {
		return reportTimeout(stderr, ctx, timeout, err)
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	fmt.Fprintf(stderr, "POST %s (%s, signed by %s) -> HTTP %s\n", positional[0], event, srv.PlatformSerial(), statusText(resp.StatusCode))
	writeAnswer(stdout, resp.StatusCode, resp.Header, answer, false)
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return exitAPI
	}
	return exitOK
}

// mockFromDir makes an unstarted-in-spirit server with the keys of the
// mock that wrote dir, to sign and encrypt as it does.
func mockFromDir(dir string) (*wechatpaytest.Server, error) {
	var st mockState
	data, err := os.ReadFile(filepath.Join(dir, mockStateFile))
	if err == nil {
		err = json.Unmarshal(data, &st)
	}
	if err != nil {
		return nil, usagef("--dir %s: not the directory of a \"wechatpay mock\": %w", dir, err)
	}
	platform, err := readRSAKey(filepath.Join(dir, "platform_key.pem"))
	if err != nil {
		return nil, usagef("--dir %s: %w", dir, err)
	}
	merchant, err := readRSAKey(filepath.Join(dir, "apiclient_key.pem"))
	if err != nil {
		return nil, usagef("--dir %s: %w", dir, err)
	}
	mode := wechatpaytest.PublicKeyMode
	if st.Mode == "cert" {
		mode = wechatpaytest.CertificateMode
	}
	return wechatpaytest.New(
		wechatpaytest.WithMchID(st.MchID),
		wechatpaytest.WithKeyMode(mode),
		wechatpaytest.WithMerchantKey(merchant, st.MerchantSerial),
		wechatpaytest.WithPlatformKey(platform, st.PlatformSerial),
		wechatpaytest.WithAPIv3Key(st.APIv3Key),
	)
}

// readRSAKey reads a PKCS#8 RSA private key PEM file.
func readRSAKey(path string) (*rsa.PrivateKey, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, fmt.Errorf("%s: no PEM block", path)
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	rk, ok := k.(*rsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("%s: not an RSA key", path)
	}
	return rk, nil
}

// sampleResource is a plausible resource for event.
func sampleResource(srv *wechatpaytest.Server, event string) []byte {
	now := time.Now().In(time.FixedZone("CST", 8*3600)).Format(time.RFC3339)
	var v any
	if strings.HasPrefix(event, "REFUND.") {
		v = map[string]any{
			"mchid": srv.MchID(), "out_trade_no": "1217752501201407033233368018", "transaction_id": "4200000000000000000000000001",
			"out_refund_no": "1217752501201407033233368019", "refund_id": "50000000000000000000000000001",
			"refund_status": strings.TrimPrefix(event, "REFUND."), "success_time": now, "user_received_account": "支付用户零钱",
			"amount": map[string]any{"total": 100, "refund": 100, "payer_total": 100, "payer_refund": 100},
		}
	} else {
		v = map[string]any{
			"appid": "wxd678efh567hg6787", "mchid": srv.MchID(), "out_trade_no": "1217752501201407033233368018",
			"transaction_id": "4200000000000000000000000001", "trade_type": "NATIVE", "trade_state": "SUCCESS",
			"trade_state_desc": "支付成功", "bank_type": "OTHERS", "success_time": now,
			"payer":  map[string]any{"openid": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"},
			"amount": map[string]any{"total": 100, "payer_total": 100, "currency": "CNY", "payer_currency": "CNY"},
		}
	}
	b, _ := json.Marshal(v)
	return b
}
