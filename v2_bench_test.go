package wechatpay_test

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/rand"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/wechatpay-chain/wechatpay"
	"github.com/wechatpay-chain/wechatpay/wechatpaytest"
)

// BenchmarkV2Post compares one APIv2 orderquery through the library with
// the same signed, verified round trip written with plain net/http,
// crypto/md5 and encoding/xml, against the same local TLS server in the
// same run.
func BenchmarkV2Post(b *testing.B) {
	srv, client := newV2(b)
	ctx := context.Background()
	if _, err := client.Chain("v2/pay/micropay").Post(ctx, wechatpay.Options{"xml": micropayFields(srv.MchID(), "BENCH1")}); err != nil {
		b.Fatal(err)
	}
	fields := map[string]string{"appid": "wxd678efh567hg6787", "mch_id": srv.MchID(), "out_trade_no": "BENCH1"}
	b.Run("baseline-nethttp", func(b *testing.B) {
		hc := &http.Client{Transport: srv.Transport()}
		defer hc.CloseIdleConnections()
		b.ReportAllocs()
		for b.Loop() {
			if err := plainV2Post(hc, srv, fields); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("wechatpay", func(b *testing.B) {
		ch := client.Chain("v2/pay/orderquery")
		b.ReportAllocs()
		for b.Loop() {
			resp, err := ch.Post(ctx, wechatpay.Options{"xml": fields})
			if err != nil {
				b.Fatal(err)
			}
			if resp.Get("trade_state").String() != "SUCCESS" {
				b.Fatal("unexpected answer")
			}
		}
	})
}

// plainV2Post is the baseline: nonce, sign, XML, send, read, parse,
// verify, check the result codes.
func plainV2Post(hc *http.Client, srv *wechatpaytest.V2Server, in map[string]string) error {
	f := make(map[string]string, len(in)+2)
	for k, v := range in {
		f[k] = v
	}
	var n [16]byte
	rand.Read(n[:])
	f["nonce_str"] = hex.EncodeToString(n[:])
	f["sign"] = plainMD5Sign(f, srv.APIv2Key())
	var body bytes.Buffer
	body.WriteString("<xml>")
	for k, v := range f {
		body.WriteString("<" + k + "><![CDATA[" + v + "]]></" + k + ">")
	}
	body.WriteString("</xml>")
	req, err := http.NewRequest("POST", srv.URL+"pay/orderquery", &body)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "text/xml")
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	resp.Body.Close()
	if err != nil {
		return err
	}
	answer, err := plainParse(raw)
	if err != nil {
		return err
	}
	if answer["sign"] != plainMD5Sign(answer, srv.APIv2Key()) {
		return errors.New("bad sign")
	}
	if answer["return_code"] != "SUCCESS" || answer["result_code"] != "SUCCESS" || answer["trade_state"] != "SUCCESS" {
		return fmt.Errorf("answer %s", raw)
	}
	return nil
}

func plainMD5Sign(f map[string]string, key string) string {
	keys := make([]string, 0, len(f))
	for k, v := range f {
		if k != "sign" && v != "" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var s strings.Builder
	for _, k := range keys {
		s.WriteString(k + "=" + f[k] + "&")
	}
	s.WriteString("key=" + key)
	sum := md5.Sum([]byte(s.String()))
	return strings.ToUpper(hex.EncodeToString(sum[:]))
}

func plainParse(raw []byte) (map[string]string, error) {
	d := xml.NewDecoder(bytes.NewReader(raw))
	out := map[string]string{}
	var name string
	depth := 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			name = t.Name.Local
		case xml.EndElement:
			depth--
		case xml.CharData:
			if depth == 2 {
				out[name] += string(t)
			}
		case xml.Directive:
			return nil, errors.New("DTD refused")
		}
	}
}
