package wechatpay_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"

	"github.com/wechatpay-chain/wechatpay"
	"github.com/wechatpay-chain/wechatpay/wechatpaytest"
)

// benchFile is one bill-like file of a given size, plain and gzip.
type benchFile struct {
	plain, gz []byte
	sum       string // hex SHA-1 of plain
}

var (
	benchFilesMu sync.Mutex
	benchFiles   = map[int]*benchFile{}
)

// billLike returns a deterministic CSV-like file of exactly size bytes
// (digits, ids and amounts, compressing about as well as a real bill) and
// its gzip form, made once per size.
func billLike(size int) *benchFile {
	benchFilesMu.Lock()
	defer benchFilesMu.Unlock()
	if f, ok := benchFiles[size]; ok {
		return f
	}
	rng := rand.New(rand.NewPCG(1, uint64(size)))
	plain := make([]byte, 0, size+256)
	for len(plain) < size {
		plain = append(plain, "`2026-11-30 "...)
		plain = strconv.AppendInt(plain, int64(rng.IntN(24)), 10)
		plain = append(plain, ":00:00,`wxd678efh567hg6787,`1230000109,`0,`,`4200000"...)
		plain = strconv.AppendUint(plain, rng.Uint64(), 10)
		plain = append(plain, ",`"...)
		plain = strconv.AppendUint(plain, rng.Uint64()%1e15, 10)
		plain = append(plain, ",`oUpF8uMuAJO_M2pxb1Q9zNjWeS6o,`NATIVE,`SUCCESS,`OTHERS,`CNY,`"...)
		plain = strconv.AppendInt(plain, int64(rng.IntN(100000)), 10)
		plain = append(plain, ".00,`0.00\r\n"...)
	}
	plain = plain[:size]
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(plain)
	zw.Close()
	s := sha1.Sum(plain)
	f := &benchFile{plain: plain, gz: gz.Bytes(), sum: hex.EncodeToString(s[:])}
	benchFiles[size] = f
	return f
}

// BenchmarkDownload streams a bill-like file over loopback through
// Client.Download (signed GET, SHA-1 check, and gunzip for "gzip") next to
// the raw baseline of the same bytes from the same server in the same run:
// net/http GET, (gzip.NewReader,) io.Copy into SHA-1. Compare MB/s between
// "client" and "baseline", and B/op between the sizes: it must not grow
// with the file. Sizes: 10 MiB and 100 MiB. Each case first downloads the
// file once outside the timer, so connection set-up is not amortised
// differently at different iteration counts.
func BenchmarkDownload(b *testing.B) {
	for _, size := range []int{10 << 20, 100 << 20} {
		f := billLike(size)
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			data := f.plain
			if r.URL.Path == "/gz" {
				data = f.gz
			}
			w.Header().Set("Content-Length", strconv.Itoa(len(data)))
			w.Write(data)
		}))
		keys := wechatpaytest.NewServer()
		client, err := keys.Client(func(c *wechatpay.Config) { c.BaseURL = srv.URL })
		if err != nil {
			b.Fatal(err)
		}
		raw := &http.Client{Transport: &http.Transport{}}
		for _, mode := range []string{"plain", "gzip"} {
			url := srv.URL + "/plain"
			opts := []wechatpay.DownloadOption{wechatpay.WithHash("SHA1", f.sum)}
			if mode == "gzip" {
				url = srv.URL + "/gz"
				opts = append(opts, wechatpay.WithGunzip())
			}
			name := fmt.Sprintf("%dMiB/%s", size>>20, mode)
			b.Run(name+"/client", func(b *testing.B) {
				b.SetBytes(int64(size))
				b.ReportAllocs()
				client.Download(context.Background(), url, io.Discard, opts...) // warm the connection
				for b.Loop() {
					n, err := client.Download(context.Background(), url, io.Discard, opts...)
					if err != nil || n != int64(size) {
						b.Fatalf("n %d, err %v", n, err)
					}
				}
			})
			b.Run(name+"/baseline", func(b *testing.B) {
				b.SetBytes(int64(size))
				b.ReportAllocs()
				if resp, err := raw.Get(url); err == nil { // warm the connection
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
				for b.Loop() {
					resp, err := raw.Get(url)
					if err != nil {
						b.Fatal(err)
					}
					var src io.Reader = resp.Body
					if mode == "gzip" {
						if src, err = gzip.NewReader(resp.Body); err != nil {
							b.Fatal(err)
						}
					}
					h := sha1.New()
					n, err := io.Copy(h, src)
					resp.Body.Close()
					if err != nil || n != int64(size) || hex.EncodeToString(h.Sum(nil)) != f.sum {
						b.Fatalf("n %d, err %v", n, err)
					}
				}
			})
		}
		client.CloseIdleConnections()
		raw.CloseIdleConnections()
		keys.Close()
		srv.Close()
	}
}
