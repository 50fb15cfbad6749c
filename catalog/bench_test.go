package catalog

import (
	"runtime"
	"testing"
	"time"
)

// BenchmarkLookup measures Lookup after the first use: by catalogued
// template (a map hit), by concrete path (the segment trie), and a miss.
func BenchmarkLookup(b *testing.B) {
	d := db()
	// Baseline: one map access with the same key, no copy of the result.
	b.Run("baseline-map", func(b *testing.B) {
		key := routeKey{"POST", "v3/marketing/membercard-open/cards/{card_id}/codes/{code}/bonus/prepare"}
		for b.Loop() {
			_ = d.exact[key]
		}
	})
	for _, bc := range []struct{ name, method, path string }{
		{"template", "POST", "v3/marketing/membercard-open/cards/{card_id}/codes/{code}/bonus/prepare"},
		{"concrete", "POST", "v3/marketing/membercard-open/cards/478515832665/codes/478515832665/bonus/prepare"},
		{"miss", "GET", "v3/no/such/endpoint/at/all"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Lookup(bc.method, bc.path)
			}
		})
	}
}

// BenchmarkValidateSeed measures Validate of the seed body.
func BenchmarkValidateSeed(b *testing.B) {
	body := []byte(`{"out_trade_no":"1217752501201407033233368018","mchid":"1230000109","sub_mchid":"1900000109","bonus_value":30}`)
	path := "v3/marketing/membercard-open/cards/{card_id}/codes/{code}/bonus/prepare"
	b.ReportAllocs()
	for b.Loop() {
		if err := Validate("POST", path, body); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoad measures decoding the embedded data (what the first use
// costs): gunzip, parse and index.
func BenchmarkLoad(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := decode(packed); err != nil {
			b.Fatal(err)
		}
	}
}

// TestLoadCost logs (never asserts) the time and the live heap of one
// decoding; the figures come from BenchmarkLoad when quoted.
func TestLoadCost(t *testing.T) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	d, err := decode(packed)
	elapsed := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	t.Logf("decoding %d endpoints and %d webhooks from %d bytes took %v; live heap grew by %.1f MB",
		len(d.endpoints), len(d.webhooks), len(packed), elapsed, float64(int64(after.HeapAlloc)-int64(before.HeapAlloc))/(1<<20))
	runtime.KeepAlive(d)
}
