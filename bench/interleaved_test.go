package bench

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"math/rand/v2"
	"net/http"
	"testing"
	"time"
)

// interleaved is one contestant of an interleaved benchmark.
type interleaved struct {
	name string
	call func(context.Context) error
}

// benchInterleaved runs the contestants in turn, one call each per
// iteration in a fresh random order (so that no contestant always follows
// the same one and inherits its leftovers: a connection's goroutines
// finishing up, garbage to collect), and reports
// each one's wall and CPU time per call. On a shared machine whose load
// changes by the second, contestants measured seconds apart see different
// machines; calls interleaved one by one see the same one, so their ratios
// hold even when the absolute times do not. Allocations are not measured
// here (see BenchmarkPost and BenchmarkGet).
func benchInterleaved(b *testing.B, cs []interleaved) {
	ctx := context.Background()
	for _, c := range cs { // warm: pooled connections, primed caches
		if err := c.call(ctx); err != nil {
			b.Fatalf("%s: %v", c.name, err)
		}
	}
	wall := make([]time.Duration, len(cs))
	cpu := make([]time.Duration, len(cs))
	order := make([]int, len(cs))
	for i := range order {
		order[i] = i
	}
	for b.Loop() {
		rand.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, i := range order {
			t0, c0 := time.Now(), cpuTime()
			if err := cs[i].call(ctx); err != nil {
				b.Fatalf("%s: %v", cs[i].name, err)
			}
			cpu[i] += cpuTime() - c0
			wall[i] += time.Since(t0)
		}
	}
	n := float64(b.N)
	for i, c := range cs {
		b.ReportMetric(float64(wall[i].Nanoseconds())/n, c.name+"-ns/call")
		b.ReportMetric(float64(cpu[i].Nanoseconds())/n, c.name+"-cpu-ns/call")
	}
	b.ReportMetric(0, "ns/op") // an iteration is all of them: not a figure of its own
}

// rsaCalls are the raw cryptography of one request, as pseudo-contestants
// of the interleaved benchmarks: the request signature (SHA-256 plus an
// RSA-2048 private-key operation) and the answer's verification.
func rsaCalls(tb testing.TB) []interleaved {
	msg := []byte("POST\n/" + seedURL(seedCardID, seedCode) + "\n1764583200\n593BEC0C930BF1AFEB40B4A08C8FB242\n" +
		`{"bonus_value":30,"mchid":"1230000109","out_trade_no":"1217752501201407033233368018","sub_mchid":"1900000109"}` + "\n")
	d := sha256.Sum256(msg)
	sig, err := rsa.SignPKCS1v15(nil, srv.merchantKey, crypto.SHA256, d[:])
	if err != nil {
		tb.Fatal(err)
	}
	return []interleaved{
		{"rsa_sign", func(context.Context) error {
			d := sha256.Sum256(msg)
			_, err := rsa.SignPKCS1v15(nil, srv.merchantKey, crypto.SHA256, d[:])
			return err
		}},
		{"rsa_verify", func(context.Context) error {
			d := sha256.Sum256(msg)
			return rsa.VerifyPKCS1v15(&srv.merchantKey.PublicKey, crypto.SHA256, d[:], sig)
		}},
	}
}

// BenchmarkInterleaved compares the contestants call by call: the seed
// POST and the order query GET, with the raw RSA operations in the same
// rotation, and the callback parsers.
func BenchmarkInterleaved(b *testing.B) {
	cs := newContestants(b, srv.FastURL, 0)
	defer cs.close()
	post := func(p poster) func(context.Context) error {
		return func(ctx context.Context) error { return p(ctx, seedCardID, seedCode, seedPayload()) }
	}
	get := func(g getter) func(context.Context) error {
		return func(ctx context.Context) error {
			_, err := g(ctx, srv.OrderNo)
			return err
		}
	}
	b.Run("Post", func(b *testing.B) {
		benchInterleaved(b, append([]interleaved{
			{nameFloor, post(cs.floor.post)},
			{nameOurs, post(cs.ours.post)},
			{nameOursAsync, func(ctx context.Context) error {
				resp, err := cs.ours.postAsync(ctx, seedCardID, seedCode, seedPayload()).Wait(ctx)
				if err != nil {
					return err
				}
				return wantStatus(resp.StatusCode(), http.StatusNoContent)
			}},
			{nameOfficial, post(cs.official.post)},
		}, rsaCalls(b)...))
	})
	b.Run("Get", func(b *testing.B) {
		benchInterleaved(b, append([]interleaved{
			{nameFloor, get(cs.floor.get)},
			{nameOurs, get(cs.ours.get)},
			{nameOfficial, get(cs.official.get)},
		}, rsaCalls(b)...))
	})
	b.Run("Callback", func(b *testing.B) {
		n, err := srv.notification()
		if err != nil {
			b.Fatal(err)
		}
		parsers := callbackParsers(b)
		var calls []interleaved
		for _, name := range sortedKeys(parsers) {
			parse, r := parsers[name], newCallbackRequest(n)
			calls = append(calls, interleaved{name, func(ctx context.Context) error {
				_, err := parse(ctx, withBody(r, n.Body))
				return err
			}})
		}
		benchInterleaved(b, calls)
	})
}
