package wechatpay_test

// The Example functions in this file are the code of the seed endpoint page,
// docs/openapi/v3/marketing/membercard-open/cards/{card_id}/codes/{code}/bonus/prepare.md,
// run against the in-process server. TestSeedPageMatchesExamples fails when
// a Go block of that page is not found here verbatim (modulo indentation),
// so the page cannot drift from code that compiles and runs.

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/wechatpay-chain/wechatpay"
	"github.com/wechatpay-chain/wechatpay/signer"
	"github.com/wechatpay-chain/wechatpay/wechatpaytest"
)

// seedPage is the endpoint page whose Go blocks this file holds.
const seedPage = "docs/openapi/v3/marketing/membercard-open/cards/{card_id}/codes/{code}/bonus/prepare.md"

// Example_seedAsyncSegments is the page's "Async, segment chain" variant.
func Example_seedAsyncSegments() {
	srv := wechatpaytest.NewServer()
	defer srv.Close()
	client, _ := srv.Client()

	ctx := context.Background()
	bonus := client.Chain("v3", "marketing", "membercardOpen", "cards", "_card_id_", "codes", "_code_", "bonus", "prepare")
	future := bonus.PostAsync(ctx, wechatpay.Options{
		"card_id": "478515832665",
		"code":    "478515832665",
		"json": wechatpay.M{
			"out_trade_no": "1217752501201407033233368018",
			"mchid":        "1230000109",
			"sub_mchid":    "1900000109",
			"bonus_value":  30,
		},
	})
	// The request runs in its own goroutine; do other work here.
	resp, err := future.Wait(ctx)
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	fmt.Println(bonus.Path())
	fmt.Println(resp.StatusCode()) // 204 No Content: there is no body to read
	// Output:
	// v3/marketing/membercard-open/cards/{card_id}/codes/{code}/bonus/prepare
	// 204
}

// Example_seedAsyncDeclarative is the page's "Async, declarative template" variant.
func Example_seedAsyncDeclarative() {
	srv := wechatpaytest.NewServer()
	defer srv.Close()
	client, _ := srv.Client()

	ctx := context.Background()
	bonus := client.Chain("v3/marketing/membercard-open/cards/{card_id}/codes/{code}/bonus/prepare")
	future := bonus.PostAsync(ctx, wechatpay.Options{
		"card_id": "478515832665",
		"code":    "478515832665",
		"json": wechatpay.M{
			"out_trade_no": "1217752501201407033233368018",
			"mchid":        "1230000109",
			"sub_mchid":    "1900000109",
			"bonus_value":  30,
		},
	})
	// The request runs in its own goroutine; do other work here.
	resp, err := future.Wait(ctx)
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	fmt.Println(bonus.Path())
	fmt.Println(resp.StatusCode()) // 204 No Content: there is no body to read
	// Output:
	// v3/marketing/membercard-open/cards/{card_id}/codes/{code}/bonus/prepare
	// 204
}

// Example_seedAsyncSteps is the page's "Async, step-by-step chain" variant.
func Example_seedAsyncSteps() {
	srv := wechatpaytest.NewServer()
	defer srv.Close()
	client, _ := srv.Client()

	ctx := context.Background()
	bonus := client.Chain("v3").
		Chain("marketing").
		Chain("membercardOpen").
		Chain("cards").
		Chain("_card_id_").
		Chain("codes").
		Chain("_code_").
		Chain("bonus").
		Chain("prepare")
	future := bonus.PostAsync(ctx, wechatpay.Options{
		"card_id": "478515832665",
		"code":    "478515832665",
		"json": wechatpay.M{
			"out_trade_no": "1217752501201407033233368018",
			"mchid":        "1230000109",
			"sub_mchid":    "1900000109",
			"bonus_value":  30,
		},
	})
	// The request runs in its own goroutine; do other work here.
	resp, err := future.Wait(ctx)
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	fmt.Println(bonus.Path())
	fmt.Println(resp.StatusCode()) // 204 No Content: there is no body to read
	// Output:
	// v3/marketing/membercard-open/cards/{card_id}/codes/{code}/bonus/prepare
	// 204
}

// Example_seedSyncSegments is the page's "Sync, segment chain" variant.
func Example_seedSyncSegments() {
	srv := wechatpaytest.NewServer()
	defer srv.Close()
	client, _ := srv.Client()

	ctx := context.Background()
	bonus := client.Chain("v3", "marketing", "membercardOpen", "cards", "_card_id_", "codes", "_code_", "bonus", "prepare")
	resp, err := bonus.Post(ctx, wechatpay.Options{
		"card_id": "478515832665",
		"code":    "478515832665",
		"json": wechatpay.M{
			"out_trade_no": "1217752501201407033233368018",
			"mchid":        "1230000109",
			"sub_mchid":    "1900000109",
			"bonus_value":  30,
		},
	})
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	fmt.Println(bonus.Path())
	fmt.Println(resp.StatusCode()) // 204 No Content: there is no body to read
	// Output:
	// v3/marketing/membercard-open/cards/{card_id}/codes/{code}/bonus/prepare
	// 204
}

// Example_seedSyncDeclarative is the page's "Sync, declarative template" variant.
func Example_seedSyncDeclarative() {
	srv := wechatpaytest.NewServer()
	defer srv.Close()
	client, _ := srv.Client()

	ctx := context.Background()
	bonus := client.Chain("v3/marketing/membercard-open/cards/{card_id}/codes/{code}/bonus/prepare")
	resp, err := bonus.Post(ctx, wechatpay.Options{
		"card_id": "478515832665",
		"code":    "478515832665",
		"json": wechatpay.M{
			"out_trade_no": "1217752501201407033233368018",
			"mchid":        "1230000109",
			"sub_mchid":    "1900000109",
			"bonus_value":  30,
		},
	})
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	fmt.Println(bonus.Path())
	fmt.Println(resp.StatusCode()) // 204 No Content: there is no body to read
	// Output:
	// v3/marketing/membercard-open/cards/{card_id}/codes/{code}/bonus/prepare
	// 204
}

// Example_seedSyncSteps is the page's "Sync, step-by-step chain" variant.
func Example_seedSyncSteps() {
	srv := wechatpaytest.NewServer()
	defer srv.Close()
	client, _ := srv.Client()

	ctx := context.Background()
	bonus := client.Chain("v3").
		Chain("marketing").
		Chain("membercardOpen").
		Chain("cards").
		Chain("_card_id_").
		Chain("codes").
		Chain("_code_").
		Chain("bonus").
		Chain("prepare")
	resp, err := bonus.Post(ctx, wechatpay.Options{
		"card_id": "478515832665",
		"code":    "478515832665",
		"json": wechatpay.M{
			"out_trade_no": "1217752501201407033233368018",
			"mchid":        "1230000109",
			"sub_mchid":    "1900000109",
			"bonus_value":  30,
		},
	})
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	fmt.Println(bonus.Path())
	fmt.Println(resp.StatusCode()) // 204 No Content: there is no body to read
	// Output:
	// v3/marketing/membercard-open/cards/{card_id}/codes/{code}/bonus/prepare
	// 204
}

// Example_seedErrors is the page's error-handling block: a bonus_value of 0
// is refused by WeChat Pay (here, the in-process server) with 400 PARAM_ERROR.
func Example_seedErrors() {
	srv := wechatpaytest.NewServer()
	defer srv.Close()
	client, _ := srv.Client()

	_, err := client.Chain("v3/marketing/membercard-open/cards/{card_id}/codes/{code}/bonus/prepare").
		Post(context.Background(), wechatpay.Options{
			"card_id": "478515832665",
			"code":    "478515832665",
			"json": wechatpay.M{
				"out_trade_no": "1217752501201407033233368018",
				"mchid":        "1230000109",
				"sub_mchid":    "1900000109",
				"bonus_value":  0,
			},
		})
	var apiErr *wechatpay.APIError
	switch {
	case err == nil:
		fmt.Println("the payment result page shows the bonus")
	case errors.As(err, &apiErr):
		// WeChat Pay answered 4xx/5xx; quote apiErr.RequestID to its support.
		fmt.Println(apiErr.StatusCode, apiErr.Code)
	case errors.Is(err, wechatpay.ErrVerification):
		fmt.Println("the answer is not signed by WeChat Pay; do not trust it:", err)
	case errors.Is(err, wechatpay.ErrTemplate):
		fmt.Println("a missing, unknown or unsafe option; nothing was sent:", err)
	default:
		fmt.Println("network error or cancelled context:", err)
	}
	// Output: 400 PARAM_ERROR
}

// newClientFromFiles is the page's client set-up block. It is compiled, not
// run: its paths and serial are placeholders.
func newClientFromFiles() (*wechatpay.Client, error) {
	merchantKey, err := signer.LoadPrivateKeyFile("/path/to/apiclient_key.pem")
	if err != nil {
		return nil, err
	}
	platformKey, err := signer.LoadPublicKeyFile("/path/to/pub_key.pem")
	if err != nil {
		return nil, err
	}
	client, err := wechatpay.NewClient(wechatpay.Config{
		MchID:      "1230000109",
		Serial:     "3775B6A45ACD588826D15E583A95F5DD********",
		PrivateKey: merchantKey,
		Certs: map[string]*rsa.PublicKey{
			"PUB_KEY_ID_0114232134912410000000000000": platformKey,
		},
	})
	return client, err
}

var _ = newClientFromFiles

// TestSeedPageMatchesExamples checks that every Go block of the seed page
// appears in this file, line for line, ignoring indentation and blank lines.
func TestSeedPageMatchesExamples(t *testing.T) {
	t.Parallel()
	page, err := os.ReadFile(seedPage)
	if err != nil {
		t.Fatal(err)
	}
	self, err := os.ReadFile("seed_example_test.go")
	if err != nil {
		t.Fatal(err)
	}
	blocks := goBlocks(page)
	if len(blocks) != 8 {
		t.Fatalf("%s has %d Go blocks, want 8 (set-up, six variants, errors)", seedPage, len(blocks))
	}
	haystack := "\n" + strings.Join(normalize(string(self)), "\n") + "\n"
	seen := map[string]bool{}
	for i, b := range blocks {
		lines := normalize(b)
		needle := "\n" + strings.Join(lines, "\n") + "\n"
		if len(lines) < 5 {
			t.Errorf("block %d is too short to be a variant:\n%s", i+1, b)
		}
		if seen[needle] {
			t.Errorf("block %d repeats an earlier block", i+1)
		}
		seen[needle] = true
		if !strings.Contains(haystack, needle) {
			t.Errorf("block %d of %s is not in seed_example_test.go:\n%s", i+1, seedPage, b)
		}
	}
}

// goBlocks returns the contents of the ```go fenced blocks of a Markdown page.
func goBlocks(md []byte) []string {
	var blocks []string
	var cur *bytes.Buffer
	sc := bufio.NewScanner(bytes.NewReader(md))
	for sc.Scan() {
		line := sc.Text()
		switch {
		case cur == nil && strings.TrimSpace(line) == "```go":
			cur = new(bytes.Buffer)
		case cur != nil && strings.TrimSpace(line) == "```":
			blocks = append(blocks, cur.String())
			cur = nil
		case cur != nil:
			cur.WriteString(line + "\n")
		}
	}
	return blocks
}

// normalize returns the non-blank lines of s without their indentation.
func normalize(s string) []string {
	var out []string
	for line := range strings.SplitSeq(s, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, line)
		}
	}
	return out
}
