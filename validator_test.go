package wechatpay_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wechatpay-chain/wechatpay"
	"github.com/wechatpay-chain/wechatpay/catalog"
)

// TestValidatorCatalog: with catalog.Validate as Config.Validator the seed
// call goes through, and a typo stops the call before any I/O with an
// error that errors.Is matches to catalog.ErrInvalid.
func TestValidatorCatalog(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	client := newClient(t, srv, func(c *wechatpay.Config) { c.Validator = catalog.Validate })
	ctx := context.Background()
	chain := client.Chain(seedTemplate)

	resp, err := chain.Post(ctx, seedOptions())
	if err != nil || resp.StatusCode() != 204 {
		t.Fatalf("seed call: %v", err)
	}
	sent := len(srv.Requests())

	opts := seedOptions()
	body := opts["json"].(wechatpay.M)
	body["bonus_valu"] = body["bonus_value"]
	delete(body, "bonus_value")
	_, err = chain.Post(ctx, opts)
	if !errors.Is(err, catalog.ErrInvalid) {
		t.Fatalf("typo: err = %v, want one matching catalog.ErrInvalid", err)
	}
	var ve *catalog.ValidationError
	if !errors.As(err, &ve) || len(ve.Problems) != 2 {
		t.Fatalf("typo: errors.As gives %+v", ve)
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, "wechatpay: POST "+seedTemplate+": ") || strings.Count(msg, "wechatpay:") != 1 ||
		!strings.Contains(msg, "bonus_valu: unknown field; did you mean bonus_value?") {
		t.Errorf("message: %s", msg)
	}
	if got := len(srv.Requests()); got != sent {
		t.Errorf("the refused call reached the server (%d requests, want %d)", got, sent)
	}
}

// TestValidatorArguments: the validator sees the method, the template path
// and the JSON body as sent; nil when there is no body; it is not called
// for a raw "body" option.
func TestValidatorArguments(t *testing.T) {
	t.Parallel()
	type call struct{ Method, Path, Body string }
	var calls []call
	srv := newServer(t)
	client := newClient(t, srv, func(c *wechatpay.Config) {
		c.Validator = func(method, path string, body []byte) error {
			b := string(body)
			if body == nil {
				b = "<nil>"
			}
			calls = append(calls, call{method, path, b})
			return nil
		}
	})
	ctx := context.Background()
	if _, err := client.Chain(seedTemplate).Post(ctx, seedOptions()); err != nil {
		t.Fatal(err)
	}
	_, _ = client.Chain("v3/pay/transactions/out-trade-no/{out_trade_no}").Get(ctx, wechatpay.Options{"out_trade_no": "X1", "query": map[string]string{"mchid": srv.MchID()}})
	_, _ = client.Chain("v3/raw").Post(ctx, wechatpay.Options{"body": "{}"})
	want := []call{
		{"POST", seedTemplate, `{"bonus_value":30,"mchid":"1230000109","out_trade_no":"1217752501201407033233368018","sub_mchid":"1900000109"}`},
		{"GET", "v3/pay/transactions/out-trade-no/{out_trade_no}", "<nil>"},
	}
	if diff := cmp.Diff(want, calls); diff != "" {
		t.Errorf("validator calls (-want +got):\n%s", diff)
	}
}

// TestValidatorError: any error of a custom validator stops the call and
// stays reachable.
func TestValidatorError(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	sentinel := errors.New("no, thanks")
	client := newClient(t, srv, func(c *wechatpay.Config) {
		c.Validator = func(string, string, []byte) error { return sentinel }
	})
	_, err := client.Chain(seedTemplate).PostAsync(context.Background(), seedOptions()).Wait(context.Background())
	if !errors.Is(err, sentinel) {
		t.Fatalf("err = %v", err)
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests reached the server", n)
	}
}
