package bench

import (
	"context"
	"crypto/rsa"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/wechatpay-apiv3/wechatpay-go/core"
	"github.com/wechatpay-apiv3/wechatpay-go/core/option"

	"github.com/wechatpay-chain/wechatpay"
)

// newTransport gives each contestant its own connection pool, sized so that
// 512 calls in flight reuse their connections instead of dialling anew.
func newTransport() *http.Transport {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns = 0 // no limit
	tr.MaxIdleConnsPerHost = 1024
	tr.IdleConnTimeout = time.Minute
	return tr
}

// ours is contestant (b): this library.
type ours struct {
	client *wechatpay.Client
	seed   *wechatpay.Chain
	query  *wechatpay.Chain
}

func newOurs(base string, tr http.RoundTripper, maxConcurrent int) (*ours, error) {
	c, err := wechatpay.NewClient(wechatpay.Config{
		MchID:         srv.MchID,
		Serial:        srv.MerchantSerial,
		PrivateKey:    srv.merchantKey,
		Certs:         map[string]*rsa.PublicKey{srv.PlatformSerial: srv.platformKey},
		BaseURL:       base,
		Transport:     tr,
		MaxConcurrent: maxConcurrent,
	})
	if err != nil {
		return nil, err
	}
	return &ours{client: c, seed: c.Chain(seedTemplate), query: c.Chain(queryTemplate)}, nil
}

func (o *ours) postOptions(cardID, code string, payload any) wechatpay.Options {
	return wechatpay.Options{"card_id": cardID, "code": code, "json": payload}
}

func (o *ours) post(ctx context.Context, cardID, code string, payload any) error {
	resp, err := o.seed.Post(ctx, o.postOptions(cardID, code, payload))
	if err != nil {
		return err
	}
	return wantStatus(resp.StatusCode(), http.StatusNoContent)
}

func (o *ours) postAsync(ctx context.Context, cardID, code string, payload any) *wechatpay.Future[*wechatpay.Response] {
	return o.seed.PostAsync(ctx, o.postOptions(cardID, code, payload))
}

func (o *ours) get(ctx context.Context, outTradeNo string) ([]byte, error) {
	resp, err := o.query.Get(ctx, wechatpay.Options{
		"out_trade_no": outTradeNo,
		"query":        map[string]string{"mchid": srv.MchID},
	})
	if err != nil {
		return nil, err
	}
	return resp.Body(), wantStatus(resp.StatusCode(), http.StatusOK)
}

// official is contestant (c): github.com/wechatpay-apiv3/wechatpay-go's
// core.Client with the same keys, verifying with the WeChat Pay public key
// (the server's mode).
type official struct {
	client    *core.Client
	base      string
	transport http.RoundTripper
}

func newOfficial(base string, tr http.RoundTripper) (*official, error) {
	c, err := core.NewClient(context.Background(),
		option.WithWechatPayPublicKeyAuthCipher(srv.MchID, srv.MerchantSerial, srv.merchantKey, srv.PlatformSerial, srv.platformKey),
		option.WithHTTPClient(&http.Client{Transport: tr}),
	)
	if err != nil {
		return nil, err
	}
	return &official{client: c, base: base, transport: tr}, nil
}

func (o *official) post(ctx context.Context, cardID, code string, payload any) error {
	res, err := o.client.Post(ctx, o.base+seedURL(cardID, code), payload)
	if err != nil {
		return err
	}
	_, err = readAll(res.Response, http.StatusNoContent)
	return err
}

func (o *official) get(ctx context.Context, outTradeNo string) ([]byte, error) {
	res, err := o.client.Get(ctx, o.base+queryURL(outTradeNo, srv.MchID))
	if err != nil {
		return nil, err
	}
	return readAll(res.Response, http.StatusOK)
}

// readAll takes the (already verified) answer body and closes it.
func readAll(resp *http.Response, want int) ([]byte, error) {
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	return b, wantStatus(resp.StatusCode, want)
}

func wantStatus(got, want int) error {
	if got != want {
		return fmt.Errorf("status %d, want %d", got, want)
	}
	return nil
}
