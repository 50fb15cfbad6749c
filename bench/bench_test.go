package bench

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"net/http"
	"testing"
)

// Contestant names sort as the table shows them: (a) the floor, (b) this
// library, (c) the official SDK.
const (
	nameFloor     = "a_floor"
	nameOurs      = "b_ours"
	nameOursAsync = "b_ours_async"
	nameOfficial  = "c_official"
)

// benchCalls measures call, one request at a time, and reports the CPU
// time of this process per call next to the wall time.
func benchCalls(b *testing.B, call func(context.Context) error) {
	ctx := context.Background()
	if err := call(ctx); err != nil { // warm: a pooled connection, primed caches
		b.Fatal(err)
	}
	b.ReportAllocs()
	cpu0 := cpuTime()
	for b.Loop() {
		if err := call(ctx); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
}

// BenchmarkPost is the seed POST (JSON body, 204 answer), one at a time.
func BenchmarkPost(b *testing.B) {
	cs := newContestants(b, srv.FastURL, 0)
	defer cs.close()
	post := func(p poster) func(context.Context) error {
		return func(ctx context.Context) error { return p(ctx, seedCardID, seedCode, seedPayload()) }
	}
	b.Run(nameFloor, func(b *testing.B) { benchCalls(b, post(cs.floor.post)) })
	b.Run(nameOurs, func(b *testing.B) { benchCalls(b, post(cs.ours.post)) })
	b.Run(nameOursAsync, func(b *testing.B) {
		benchCalls(b, func(ctx context.Context) error {
			resp, err := cs.ours.postAsync(ctx, seedCardID, seedCode, seedPayload()).Wait(ctx)
			if err != nil {
				return err
			}
			return wantStatus(resp.StatusCode(), http.StatusNoContent)
		})
	})
	b.Run(nameOfficial, func(b *testing.B) { benchCalls(b, post(cs.official.post)) })
}

// BenchmarkGet is the order query (a query string, a 200 answer with a
// JSON body), one at a time.
func BenchmarkGet(b *testing.B) {
	cs := newContestants(b, srv.FastURL, 0)
	defer cs.close()
	get := func(g getter) func(context.Context) error {
		return func(ctx context.Context) error {
			_, err := g(ctx, srv.OrderNo)
			return err
		}
	}
	b.Run(nameFloor, func(b *testing.B) { benchCalls(b, get(cs.floor.get)) })
	b.Run(nameOurs, func(b *testing.B) { benchCalls(b, get(cs.ours.get)) })
	b.Run(nameOfficial, func(b *testing.B) { benchCalls(b, get(cs.official.get)) })
}

// BenchmarkCallback parses one signed, encrypted callback (verify, decrypt,
// decode the resource into a map). No network.
func BenchmarkCallback(b *testing.B) {
	n, err := srv.notification()
	if err != nil {
		b.Fatal(err)
	}
	for _, name := range sortedKeys(callbackParsers(b)) {
		parse := callbackParsers(b)[name]
		b.Run(name, func(b *testing.B) {
			r := newCallbackRequest(n)
			benchCalls(b, func(ctx context.Context) error {
				_, err := parse(ctx, withBody(r, n.Body))
				return err
			})
		})
	}
}

// BenchmarkRSA is the raw cryptography every request pays: the client signs
// its request (SHA-256 plus an RSA-2048 private-key operation) and verifies
// the answer (SHA-256 plus a public-key operation). The per-request CPU
// split in docs/benchmarks.md subtracts these from each contestant's CPU
// time.
func BenchmarkRSA(b *testing.B) {
	msg := []byte("POST\n/" + seedURL(seedCardID, seedCode) + "\n1764583200\n593BEC0C930BF1AFEB40B4A08C8FB242\n" +
		`{"bonus_value":30,"mchid":"1230000109","out_trade_no":"1217752501201407033233368018","sub_mchid":"1900000109"}` + "\n")
	b.Run("sign", func(b *testing.B) {
		benchCalls(b, func(context.Context) error {
			d := sha256.Sum256(msg)
			_, err := rsa.SignPKCS1v15(nil, srv.merchantKey, crypto.SHA256, d[:])
			return err
		})
	})
	b.Run("verify", func(b *testing.B) {
		d := sha256.Sum256(msg)
		sig, err := rsa.SignPKCS1v15(nil, srv.merchantKey, crypto.SHA256, d[:])
		if err != nil {
			b.Fatal(err)
		}
		pub := &srv.merchantKey.PublicKey
		benchCalls(b, func(context.Context) error {
			d := sha256.Sum256(msg)
			return rsa.VerifyPKCS1v15(pub, crypto.SHA256, d[:], sig)
		})
	})
}
