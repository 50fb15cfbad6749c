package wechatpay_test

import (
	"bytes"
	"context"
	"crypto/rsa"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/wechatpay-chain/wechatpay"
	"github.com/wechatpay-chain/wechatpay/wechatpaytest"
)

// checkCallbackSecrets extends TestNoSecretsInLogsOrErrors to callbacks and
// sensitive fields: failing callbacks go through client's handler (which
// logs into logBuf), sensitive fields fail to encrypt and decrypt, and
// neither the APIv3 key, nor any secret in secrets, nor a plaintext may
// appear in a log record, an answer body or an error.
func checkCallbackSecrets(t *testing.T, srv *wechatpaytest.Server, client *wechatpay.Client, logBuf *bytes.Buffer, secrets []string) {
	t.Helper()
	ctx := context.Background()
	const secretName = "张三的秘密姓名"
	logBuf.Reset()
	var texts []string
	handler := client.NotificationHandler(func(context.Context, *wechatpay.Notification) error {
		return errors.New("handler failed") // its text is the merchant's own, logged but never answered
	})
	for _, opts := range [][]wechatpaytest.NotifyOption{
		{wechatpaytest.NotifyProbe()},
		{wechatpaytest.NotifySignedBy(attackerKey(t), srv.PlatformSerial())},
		{wechatpaytest.NotifyClockSkew(time.Hour)},
		{wechatpaytest.NotifyAlterResource(func(r *wechatpaytest.EncryptedResource) { r.Ciphertext = flipBase64(r.Ciphertext) })},
		{wechatpaytest.NotifyAlterResource(func(r *wechatpaytest.EncryptedResource) { r.AssociatedData = "x" })},
		nil, // verified; the handler fails
	} {
		req, err := srv.NewNotifyRequest(ctx, "http://merchant.test/", "TRANSACTION.SUCCESS", txResource(), opts...)
		if err != nil {
			t.Fatal(err)
		}
		body := readBody(req)
		if _, err := client.ParseNotificationBytes(ctx, req.Header, body); err != nil {
			texts = append(texts, err.Error())
		}
		replaceBody(req, body)
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, req)
		if rec.Code == 204 {
			t.Errorf("callback with %d options accepted", len(opts))
		}
		texts = append(texts, rec.Body.String())
	}
	if _, _, err := client.Encrypt(ctx, strings.Repeat(secretName, 20)); err != nil { // too long for RSA-OAEP
		texts = append(texts, err.Error())
	} else {
		t.Error("Encrypt of an over-long field succeeded")
	}
	if _, err := client.Decrypt("AAAA" + secretName); err != nil {
		texts = append(texts, err.Error())
	}
	ambiguous := newClient(t, srv, func(c *wechatpay.Config) {
		c.Certs = map[string]*rsa.PublicKey{"5157F09EFDC096DE15EBE81A47057A7232F1B8E1": srv.PlatformKey(), "7132D72A03E93CDDF8C03BBD1F37EEDF9A7E3B31": srv.PlatformKey()}
		c.APIv3Key = ""
	})
	if _, err := ambiguous.Chain("v3/x").Post(ctx, wechatpay.Options{"json": wechatpay.M{"name": wechatpay.Sensitive(secretName)}}); err != nil {
		texts = append(texts, err.Error())
	}
	texts = append(texts, logBuf.String())
	if n := strings.Count(logBuf.String(), "level="); n != 6 {
		t.Errorf("%d callback log records, want 6:\n%s", n, logBuf)
	}
	for _, text := range texts {
		for _, s := range append(secrets, srv.APIv3Key(), plaintextMarker, secretName, "1217752501201407033233368018") {
			if s != "" && strings.Contains(text, s) {
				t.Errorf("secret %.24q… leaked into %q", s, text)
			}
		}
	}
	if len(texts) != 6*2-1+4 {
		t.Errorf("got %d texts, want %d", len(texts), 6*2-1+4)
	}
}
