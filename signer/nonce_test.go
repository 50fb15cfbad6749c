package signer_test

import (
	"math"
	"regexp"
	"testing"

	"github.com/wechatpay-chain/wechatpay/signer"
)

var nonceRE = regexp.MustCompile(`^[0-9A-Za-z]{32}$`)

func TestNonceFormatAndUniqueness(t *testing.T) {
	t.Parallel()
	seen := make(map[string]bool)
	for range 1000 {
		n, err := signer.Nonce()
		if err != nil {
			t.Fatalf("Nonce: %v", err)
		}
		if !nonceRE.MatchString(n) {
			t.Fatalf("Nonce() = %q, want 32 characters of [0-9A-Za-z]", n)
		}
		if seen[n] {
			t.Fatalf("Nonce() repeated %q", n)
		}
		seen[n] = true
	}
}

// TestNonceDistribution is a sanity check against gross bias (such as a
// modulo reduction of bytes, which makes the first 8 characters about 25%
// more likely): a chi-square test over 62 characters with a very loose
// threshold, so it does not flake.
func TestNonceDistribution(t *testing.T) {
	t.Parallel()
	const samples = 4000 // 128,000 characters, ~2064 per symbol
	counts := make(map[rune]int)
	for range samples {
		n, err := signer.Nonce()
		if err != nil {
			t.Fatalf("Nonce: %v", err)
		}
		for _, r := range n {
			counts[r]++
		}
	}
	if len(counts) != 62 {
		t.Fatalf("saw %d distinct characters, want 62", len(counts))
	}
	expected := float64(samples*signer.NonceLength) / 62
	var chi2 float64
	for _, c := range counts {
		d := float64(c) - expected
		chi2 += d * d / expected
	}
	// 61 degrees of freedom: mean 61, sd ~11. A modulo bias would give ~1000+.
	if chi2 > 150 || math.IsNaN(chi2) {
		t.Errorf("chi-square = %.1f over 61 degrees of freedom: characters are not uniform", chi2)
	}
	// The first eight characters must not be favoured (the modulo-bias signature).
	var low, high float64
	for i, r := range "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz" {
		if i < 8 {
			low += float64(counts[r])
		} else {
			high += float64(counts[r])
		}
	}
	if ratio := (low / 8) / (high / 54); ratio > 1.08 || ratio < 0.92 {
		t.Errorf("first 8 characters drawn %.3f times as often as the others, want ~1", ratio)
	}
}
