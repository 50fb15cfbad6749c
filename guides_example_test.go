package wechatpay_test

// The Example functions in this file are the code of the guides
// docs/callbacks.md, docs/sensitive-fields.md and docs/certificates.md, run
// against the in-process server. TestGuidesMatchExamples fails when a Go
// block of those pages is not found here verbatim (modulo indentation).

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/wechatpay-chain/wechatpay"
	"github.com/wechatpay-chain/wechatpay/wechatpaytest"
)

// markPaid stands for the merchant's own bookkeeping.
func markPaid(_ context.Context, outTradeNo string, total int64) error {
	fmt.Println("paid:", outTradeNo, total)
	return nil
}

// Example_notificationHandler is the net/http variant of docs/callbacks.md.
func Example_notificationHandler() {
	srv := wechatpaytest.NewServer() // plays WeChat Pay
	defer srv.Close()
	client, _ := srv.Client() // Config with MchID, Serial, PrivateKey, Certs and APIv3Key

	mux := http.NewServeMux()
	mux.Handle("/wxpay/notify", client.NotificationHandler(func(ctx context.Context, n *wechatpay.Notification) error {
		if n.EventType == "TRANSACTION.SUCCESS" {
			return markPaid(ctx, n.Get("out_trade_no").String(), n.Get("amount.total").Int())
		}
		return nil // unknown events are acknowledged
	}))
	merchant := httptest.NewServer(mux) // in production: http.ListenAndServeTLS
	defer merchant.Close()

	// WeChat Pay posts a signed callback with an encrypted resource.
	resp, err := srv.Notify(context.Background(), merchant.URL+"/wxpay/notify", "TRANSACTION.SUCCESS", wechatpay.M{
		"out_trade_no": "1217752501201407033233368018",
		"trade_state":  "SUCCESS",
		"amount":       wechatpay.M{"total": 100, "currency": "CNY"},
	})
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	resp.Body.Close()
	fmt.Println(resp.StatusCode) // 204: verified, decrypted, handled
	// Output:
	// paid: 1217752501201407033233368018 100
	// 204
}

// frameworkContext is the part of a web framework's request context the
// framework example uses (gin's *gin.Context has the same two members).
type frameworkContext struct {
	Request *http.Request
	status  int
	body    string
}

func (c *frameworkContext) GetRawData() ([]byte, error) { return io.ReadAll(c.Request.Body) }
func (c *frameworkContext) JSON(status int, v wechatpay.M) {
	c.status, c.body = status, fmt.Sprint(v["code"])
}

// Example_parseNotificationBytes is the framework variant of
// docs/callbacks.md: the framework hands over the headers and the raw body.
func Example_parseNotificationBytes() {
	srv := wechatpaytest.NewServer()
	defer srv.Close()
	client, _ := srv.Client()
	req, _ := srv.NewNotifyRequest(context.Background(), "https://merchant.example/notify", "REFUND.SUCCESS",
		wechatpay.M{"out_refund_no": "1217752501201407033233368018R1", "refund_status": "SUCCESS"})
	c := &frameworkContext{Request: req}

	// The handler body, as in a gin, echo or fiber route:
	body, err := c.GetRawData()
	if err != nil || len(body) > wechatpay.MaxNotificationBytes {
		c.JSON(http.StatusRequestEntityTooLarge, wechatpay.M{"code": "FAIL", "message": "body"})
		return
	}
	n, err := client.ParseNotificationBytes(c.Request.Context(), c.Request.Header, body)
	switch {
	case errors.Is(err, wechatpay.ErrVerification): // forged, stale, or a WECHATPAY/SIGNTEST/ probe
		c.JSON(http.StatusUnauthorized, wechatpay.M{"code": "FAIL", "message": "signature"})
	case err != nil: // errors.Is(err, wechatpay.ErrDecryption): wrong APIv3 key or a broken envelope
		c.JSON(http.StatusBadRequest, wechatpay.M{"code": "FAIL", "message": "resource"})
	default:
		fmt.Println(n.EventType, n.Get("out_refund_no").String(), n.Get("refund_status").String())
		c.JSON(http.StatusOK, wechatpay.M{"code": "SUCCESS"})
	}
	fmt.Println(c.status, c.body)
	// Output:
	// REFUND.SUCCESS 1217752501201407033233368018R1 SUCCESS
	// 200 SUCCESS
}

// Example_sensitive is docs/sensitive-fields.md.
func Example_sensitive() {
	srv := wechatpaytest.NewServer()
	defer srv.Close()
	var received http.Header
	var sent string
	srv.Handle("POST", "v3/applyment4sub/applyment/", func(r *wechatpaytest.Request) wechatpaytest.Reply {
		received, sent = r.Header, string(r.Body)
		return wechatpaytest.JSON(200, wechatpaytest.M{"applyment_id": 2000002124775691})
	})
	client, _ := srv.Client()
	ctx := context.Background()

	resp, err := client.Chain("v3/applyment4sub/applyment/").Post(ctx, wechatpay.Options{
		"json": wechatpay.M{"contact_info": wechatpay.M{"contact_name": wechatpay.Sensitive("张三")}},
	})
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	fmt.Println(resp.Get("applyment_id").Int())
	fmt.Println(received.Get("Wechatpay-Serial") == srv.PlatformSerial()) // the key that encrypted it
	fmt.Println(strings.Contains(sent, "张三"))                             // only the ciphertext went out

	ct, serial, err := client.Encrypt(ctx, "13900000000") // the same, by hand
	fmt.Println(len(ct) > 0, serial == srv.PlatformSerial(), err)
	// Output:
	// 2000002124775691
	// true
	// false
	// true true <nil>
}

// Example_certificates is docs/certificates.md: a certificate-mode client
// holding only the APIv3 key.
func Example_certificates() {
	srv := wechatpaytest.NewServer(wechatpaytest.WithKeyMode(wechatpaytest.CertificateMode))
	defer srv.Close()
	client, err := wechatpay.NewClient(wechatpay.Config{
		MchID:      srv.MchID(),
		Serial:     srv.MerchantSerial(),
		PrivateKey: srv.MerchantKey(),
		APIv3Key:   srv.APIv3Key(), // no Certs: they are downloaded on first use
		BaseURL:    srv.URL,
	})
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	ctx := context.Background()
	if err := client.RefreshCertificates(ctx); err != nil { // optional: on a schedule of your own
		fmt.Println("error:", err)
		return
	}
	for _, c := range client.PlatformCertificates() {
		fmt.Println(c.Serial == srv.PlatformSerial(), c.ExpireTime.After(c.EffectiveTime))
	}
	// Output:
	// true true
}

// guides are the pages whose Go blocks this file holds.
var guides = []string{"docs/callbacks.md", "docs/sensitive-fields.md", "docs/certificates.md"}

// TestGuidesMatchExamples checks that every Go block of the guides appears
// in this file, line for line, ignoring indentation and blank lines.
func TestGuidesMatchExamples(t *testing.T) {
	t.Parallel()
	self, err := os.ReadFile("guides_example_test.go")
	if err != nil {
		t.Fatal(err)
	}
	haystack := "\n" + strings.Join(normalize(string(self)), "\n") + "\n"
	for _, page := range guides {
		md, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		blocks := goBlocks(md)
		if len(blocks) == 0 {
			t.Errorf("%s has no Go block", page)
		}
		for i, b := range blocks {
			if needle := "\n" + strings.Join(normalize(b), "\n") + "\n"; !strings.Contains(haystack, needle) {
				t.Errorf("block %d of %s is not in guides_example_test.go:\n%s", i+1, page, b)
			}
		}
	}
}
