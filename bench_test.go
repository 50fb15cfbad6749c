package wechatpay_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wechatpay-chain/wechatpay"
	"github.com/wechatpay-chain/wechatpay/wechatpaytest"
)

const seedPath = "v3/marketing/membercard-open/cards/478515832665/codes/478515832665/bonus/prepare"

// BenchmarkClientPost compares one seed POST through the library with the
// same signed, verified round trip written with plain net/http and
// crypto/rsa, against the same local server in the same run.
func BenchmarkClientPost(b *testing.B) {
	srv := newServer(b)
	b.Run("baseline-nethttp", func(b *testing.B) {
		hc := &http.Client{Transport: http.DefaultTransport}
		defer hc.CloseIdleConnections()
		payload := seedOptions()["json"]
		b.ReportAllocs()
		for b.Loop() {
			if err := plainSeedPost(hc, srv, payload); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("wechatpay", func(b *testing.B) {
		client := newClient(b, srv, nil)
		ch := client.Chain(seedTemplate)
		ctx := context.Background()
		b.ReportAllocs()
		for b.Loop() {
			if _, err := ch.Post(ctx, seedOptions()); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// plainSeedPost is the baseline: marshal, sign, send, read, verify.
func plainSeedPost(hc *http.Client, srv *wechatpaytest.Server, payload any) error {
	body, err := json.Marshal(payload)
	if err != nil {
		return err
	}
	req, err := http.NewRequest("POST", srv.URL+seedPath, bytes.NewReader(body))
	if err != nil {
		return err
	}
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	nonce := plainNonce()
	msg := "POST\n" + req.URL.RequestURI() + "\n" + ts + "\n" + nonce + "\n" + string(body) + "\n"
	digest := sha256.Sum256([]byte(msg))
	sig, err := rsa.SignPKCS1v15(rand.Reader, srv.MerchantKey(), crypto.SHA256, digest[:])
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", fmt.Sprintf(`WECHATPAY2-SHA256-RSA2048 mchid="%s",serial_no="%s",timestamp="%s",nonce_str="%s",signature="%s"`,
		srv.MchID(), srv.MerchantSerial(), ts, nonce, base64.StdEncoding.EncodeToString(sig)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "baseline/1.0")
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	respBody, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != 204 {
		return fmt.Errorf("status %d: %s", resp.StatusCode, respBody)
	}
	h := resp.Header
	key := srv.Certs()[h.Get("Wechatpay-Serial")]
	if key == nil {
		return fmt.Errorf("unknown serial %q", h.Get("Wechatpay-Serial"))
	}
	rts, err := strconv.ParseInt(h.Get("Wechatpay-Timestamp"), 10, 64)
	if err != nil || time.Since(time.Unix(rts, 0)).Abs() > 300*time.Second {
		return fmt.Errorf("bad timestamp %q", h.Get("Wechatpay-Timestamp"))
	}
	rsig, err := base64.StdEncoding.DecodeString(h.Get("Wechatpay-Signature"))
	if err != nil {
		return err
	}
	rdigest := sha256.Sum256([]byte(h.Get("Wechatpay-Timestamp") + "\n" + h.Get("Wechatpay-Nonce") + "\n" + string(respBody) + "\n"))
	return rsa.VerifyPKCS1v15(key, crypto.SHA256, rdigest[:], rsig)
}

func plainNonce() string {
	const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	var buf [32]byte
	out := make([]byte, 0, 32)
	for len(out) < 32 {
		if _, err := rand.Read(buf[:]); err != nil {
			panic(err)
		}
		for _, c := range buf {
			if c < 248 && len(out) < 32 { // 248 = 4*62: no modulo bias
				out = append(out, alphabet[c%62])
			}
		}
	}
	return string(out)
}

// BenchmarkFanout launches 1,000 futures against a handler that holds every
// request until all the calls that can be on the network are there, and
// reports the memory (heap plus goroutine stacks, client and server side
// together) held per in-flight future. "unbounded" puts all 1,000 on the
// network at once (1,000 connections); "max32" sets Config.MaxConcurrent to
// 32, so 968 futures wait for a slot.
func BenchmarkFanout(b *testing.B) {
	for _, limit := range []int{0, 32} {
		name := "unbounded"
		if limit > 0 {
			name = fmt.Sprintf("max%d", limit)
		}
		b.Run(name, func(b *testing.B) { benchmarkFanout(b, limit) })
	}
}

func benchmarkFanout(b *testing.B, limit int) {
	const n = 1000
	onNetwork := n
	if limit > 0 {
		onNetwork = limit
	}
	srv := newServer(b)
	client := newClient(b, srv, func(c *wechatpay.Config) { c.MaxConcurrent = limit })
	arrived := make(chan struct{}, n)
	var release chan struct{}
	srv.Handle("POST", "v3/fanout/{id}", func(r *wechatpaytest.Request) wechatpaytest.Reply {
		arrived <- struct{}{}
		<-release
		return wechatpaytest.Reply{Status: 204}
	})
	ch := client.Chain("v3/fanout/{id}")
	ctx := context.Background()
	var perFuture float64
	b.ReportAllocs()
	for b.Loop() {
		release = make(chan struct{})
		runtime.GC()
		var before, during runtime.MemStats
		runtime.ReadMemStats(&before)
		futures := make([]*wechatpay.Future[*wechatpay.Response], n)
		for i := range futures {
			futures[i] = ch.PostAsync(ctx, wechatpay.Options{"id": i, "json": wechatpay.M{"i": i}})
		}
		for range onNetwork {
			<-arrived
		}
		runtime.ReadMemStats(&during)
		close(release)
		for i, f := range futures {
			if _, err := f.Wait(ctx); err != nil {
				b.Fatalf("future %d: %v", i, err)
			}
		}
		for range n - onNetwork { // the queued calls' arrivals
			<-arrived
		}
		held := float64(during.HeapInuse+during.StackInuse) - float64(before.HeapInuse+before.StackInuse)
		perFuture = held / n
	}
	b.ReportMetric(perFuture, "B/inflight")
}

// zeros is an endless reader of zero bytes.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// BenchmarkLargeAnswer sends a GET through the whole client (stack, signer,
// verifier, resty) to an in-memory transport answering a signed 8 MiB body,
// and a 200 MiB body that must be refused at the 8 MiB default limit, each
// with a declared Content-Length and without one (chunked). B/op against
// the body size is the figure of interest.
func BenchmarkLargeAnswer(b *testing.B) {
	srv := newServer(b)
	platform, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		b.Fatal(err)
	}
	const serial = "PUB_KEY_ID_0000000000000000000000000001"
	// exactly the 8 MiB default limit, which is allowed
	body := []byte(`{"data":"` + strings.Repeat("x", 8<<20-len(`{"data":""}`)) + `"}`)
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	nonce := plainNonce()
	digest := sha256.Sum256([]byte(ts + "\n" + nonce + "\n" + string(body) + "\n"))
	sig, err := rsa.SignPKCS1v15(rand.Reader, platform, crypto.SHA256, digest[:])
	if err != nil {
		b.Fatal(err)
	}
	signed := http.Header{
		"Wechatpay-Timestamp": {ts}, "Wechatpay-Nonce": {nonce}, "Wechatpay-Serial": {serial},
		"Wechatpay-Signature": {base64.StdEncoding.EncodeToString(sig)}, "Content-Type": {"application/json"},
	}
	for _, bc := range []struct {
		name     string
		size     int64
		declared bool
		refused  bool
	}{
		{"8MiB-declared", int64(len(body)), true, false},
		{"8MiB-chunked", int64(len(body)), false, false},
		{"200MiB-declared-refused", 200 << 20, true, true},
		{"200MiB-chunked-refused", 200 << 20, false, true},
	} {
		b.Run(bc.name, func(b *testing.B) {
			transport := roundTripFunc(func(r *http.Request) (*http.Response, error) {
				var rd io.Reader = bytes.NewReader(body)
				if bc.refused {
					rd = io.LimitReader(zeros{}, bc.size)
				}
				cl := bc.size
				if !bc.declared {
					cl = -1
				}
				return &http.Response{StatusCode: 200, Header: signed.Clone(), Body: io.NopCloser(rd), ContentLength: cl, Request: r}, nil
			})
			client, err := wechatpay.NewClient(wechatpay.Config{
				MchID: srv.MchID(), Serial: srv.MerchantSerial(), PrivateKey: srv.MerchantKey(),
				Certs: map[string]*rsa.PublicKey{serial: &platform.PublicKey}, Transport: transport,
			})
			if err != nil {
				b.Fatal(err)
			}
			ch := client.Chain("v3/large")
			ctx := context.Background()
			b.SetBytes(bc.size)
			b.ReportAllocs()
			for b.Loop() {
				resp, err := ch.Get(ctx, nil)
				if bc.refused {
					if !errors.Is(err, wechatpay.ErrResponseTooLarge) {
						b.Fatalf("err = %v, want ErrResponseTooLarge", err)
					}
					continue
				}
				if err != nil || len(resp.Body()) != len(body) {
					b.Fatalf("Get: %v", err)
				}
			}
		})
	}
}
