package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/wechatpay-chain/wechatpay"
)

// notifyPath is where the demo's merchant endpoint takes callbacks.
const notifyPath = "/wxpay/notify"

// merchantEndpoint is the merchant's own notify URL, mounted as a merchant
// would: client.NotificationHandler verifies the four Wechatpay-* headers
// and decrypts the resource before the function sees it.
type merchantEndpoint struct {
	srv *httptest.Server
	got chan *wechatpay.Notification
}

// startMerchantEndpoint serves client.NotificationHandler on a loopback port.
func startMerchantEndpoint(client *wechatpay.Client) *merchantEndpoint {
	e := &merchantEndpoint{got: make(chan *wechatpay.Notification, 1)}
	mux := http.NewServeMux()
	mux.Handle(notifyPath, client.NotificationHandler(func(ctx context.Context, n *wechatpay.Notification) error {
		select {
		case e.got <- n:
			return nil
		default:
			return errors.New("a second callback before the first was handled")
		}
	}))
	e.srv = httptest.NewServer(mux)
	return e
}

// close stops the endpoint.
func (e *merchantEndpoint) close() { e.srv.Close() }

// deliver has the server POST the callback to the endpoint and returns what
// the handler saw.
func (j *journey) deliver(ctx context.Context, event string, resource any) (*wechatpay.Notification, int, error) {
	resp, err := j.srv.Notify(ctx, j.endpoint.srv.URL+notifyPath, event, resource)
	if err != nil {
		return nil, 0, err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusNoContent {
		return nil, resp.StatusCode, fmt.Errorf("the handler answered %s, so WeChat Pay would retry", statusText(resp.StatusCode))
	}
	select {
	case n := <-j.endpoint.got:
		return n, resp.StatusCode, nil
	default:
		return nil, resp.StatusCode, errors.New("the handler acknowledged without calling the function")
	}
}

// paymentCallback: the payer paid; WeChat Pay calls the notify URL.
func (j *journey) paymentCallback(ctx context.Context) (string, error) {
	tx, err := j.srv.Pay(j.outTradeNo)
	if err != nil {
		return "", err
	}
	n, status, err := j.deliver(ctx, "TRANSACTION.SUCCESS", tx)
	if err != nil {
		return "", err
	}
	if got := n.Get("out_trade_no").String(); got != j.outTradeNo {
		return "", fmt.Errorf("decrypted out_trade_no %q, want %q", got, j.outTradeNo)
	}
	return fmt.Sprintf("%s -> NotificationHandler verified and decrypted it (out_trade_no %s, trade_state %s, amount.total %d), answered %s",
		n.EventType, n.Get("out_trade_no"), n.Get("trade_state"), n.Get("amount.total").Int(), statusText(status)), nil
}

// refundCallback: the refund went through; WeChat Pay calls the notify URL.
func (j *journey) refundCallback(ctx context.Context) (string, error) {
	res, err := j.srv.CompleteRefund(j.refundNo)
	if err != nil {
		return "", err
	}
	n, status, err := j.deliver(ctx, "REFUND.SUCCESS", res)
	if err != nil {
		return "", err
	}
	if got := n.Get("refund_status").String(); got != "SUCCESS" {
		return "", fmt.Errorf("decrypted refund_status %q, want SUCCESS", got)
	}
	return fmt.Sprintf("%s -> NotificationHandler verified and decrypted it (out_refund_no %s, refund_status %s, amount.refund %d), answered %s",
		n.EventType, n.Get("out_refund_no"), n.Get("refund_status"), n.Get("amount.refund").Int(), statusText(status)), nil
}
