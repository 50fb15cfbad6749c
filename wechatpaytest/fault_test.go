package wechatpaytest

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestFaults(t *testing.T) {
	t.Parallel()
	clock := &fixedClock{t: time.Unix(1_700_000_000, 0)}
	tests := []struct {
		name  string
		fault Fault
		route string // RouteNativePrepay (200 JSON) or RouteMembercardBonusPrepare (204)
		check func(t *testing.T, s *Server, a answer)
	}{
		{"status 503", Fault{Status: 503}, RouteNativePrepay, func(t *testing.T, s *Server, a answer) {
			if a.status != 503 || a.code() != "SYSTEM_ERROR" {
				t.Errorf("got %d %s", a.status, a.body)
			}
			mustVerify(t, s, a)
		}},
		{"status 202 accepted", Fault{Status: 202}, RouteNativePrepay, func(t *testing.T, s *Server, a answer) {
			if a.status != 202 || a.code() != "ACCEPTED" {
				t.Errorf("got %d %s", a.status, a.body)
			}
			mustVerify(t, s, a)
		}},
		{"status 429 with Retry-After", Fault{Status: 429, RetryAfter: 1500 * time.Millisecond}, RouteNativePrepay, func(t *testing.T, s *Server, a answer) {
			if a.status != 429 || a.code() != "FREQUENCY_LIMITED" || a.header.Get("Retry-After") != "2" {
				t.Errorf("got %d Retry-After=%q %s", a.status, a.header.Get("Retry-After"), a.body)
			}
			mustVerify(t, s, a)
		}},
		{"drop Wechatpay-Signature", Fault{DropSignatureHeader: "Wechatpay-Signature"}, RouteNativePrepay, func(t *testing.T, s *Server, a answer) {
			if a.status != 200 || a.header.Get(HeaderSignature) != "" {
				t.Errorf("got %d, signature %q", a.status, a.header.Get(HeaderSignature))
			}
			for _, h := range []string{HeaderTimestamp, HeaderNonce, HeaderSerial} {
				if a.header.Get(h) == "" {
					t.Errorf("%s dropped too", h)
				}
			}
		}},
		{"drop serial (any case)", Fault{DropSignatureHeader: "wechatpay-serial"}, RouteNativePrepay, func(t *testing.T, s *Server, a answer) {
			if a.header.Get(HeaderSerial) != "" || a.header.Get(HeaderSignature) == "" {
				t.Errorf("headers %v", a.header)
			}
		}},
		{"tamper body", Fault{TamperBody: true}, RouteNativePrepay, func(t *testing.T, s *Server, a answer) {
			var v map[string]any
			if err := json.Unmarshal(a.body, &v); err != nil || v["tampered"] != true || v["code_url"] == nil {
				t.Errorf("tampered body %s is not the JSON answer plus a field: %v", a.body, err)
			}
			if err := verifyAnswer(a.header, a.body, s.PlatformSerial(), s.PlatformKey(), s.now()); err == nil {
				t.Error("tampered body verifies")
			}
		}},
		{"tamper empty body", Fault{TamperBody: true}, RouteMembercardBonusPrepare, func(t *testing.T, s *Server, a answer) {
			if a.status != 204 || len(a.body) != 0 {
				t.Errorf("got %d %q", a.status, a.body)
			}
			if err := verifyAnswer(a.header, a.body, s.PlatformSerial(), s.PlatformKey(), s.now()); err == nil {
				t.Error("tampered empty answer verifies")
			}
		}},
		{"tamper signature", Fault{TamperSignature: true}, RouteNativePrepay, func(t *testing.T, s *Server, a answer) {
			err := verifyAnswer(a.header, a.body, s.PlatformSerial(), s.PlatformKey(), s.now())
			if err == nil || err.Error() != "signature does not verify" {
				t.Errorf("verification error %v, want a bad signature (still base64)", err)
			}
		}},
		{"clock skew", Fault{ClockSkew: -301 * time.Second}, RouteNativePrepay, func(t *testing.T, s *Server, a answer) {
			if got, want := a.header.Get(HeaderTimestamp), strconv.FormatInt(1_700_000_000-301, 10); got != want {
				t.Errorf("timestamp %s, want %s", got, want)
			}
			// Signed over the skewed timestamp: it verifies with a clock at that time.
			if err := verifyAnswer(a.header, a.body, s.PlatformSerial(), s.PlatformKey(), s.now().Add(-301*time.Second)); err != nil {
				t.Errorf("skewed answer is not signed over its timestamp: %v", err)
			}
			if err := verifyAnswer(a.header, a.body, s.PlatformSerial(), s.PlatformKey(), s.now()); err == nil {
				t.Error("skewed answer passes the 300 s window")
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := newServer(t, WithClock(clock.now))
			s.Fault("POST", tc.route, tc.fault)
			var body []byte
			if tc.route == RouteNativePrepay {
				body = mustJSON(t, nativeOrder(s, "fault"))
			} else {
				body = []byte(`{"out_trade_no":"1","mchid":"1230000109","sub_mchid":"1900000109","bonus_value":30}`)
			}
			path := tc.route
			if tc.route == RouteMembercardBonusPrepare {
				path = "v3/marketing/membercard-open/cards/1/codes/2/bonus/prepare"
			}
			tc.check(t, s, call(t, s, "POST", path, body))
			// Times 0: still applies; ClearFaults: gone.
			s.ClearFaults()
			a := call(t, s, "POST", path, body)
			if a.status >= 300 {
				t.Fatalf("after ClearFaults: %d %s", a.status, a.body)
			}
			mustVerify(t, s, a)
		})
	}
}

func TestFaultTimesAndWildcards(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	s.Fault("GET", "v3/certificates", Fault{Status: 500, Times: 2})
	var got []int
	for range 4 {
		got = append(got, call(t, s, "GET", "v3/certificates", nil).status)
	}
	if diff := cmp.Diff([]int{500, 500, 404, 404}, got); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}

	s.Fault("*", "*", Fault{Status: 502, Times: 1})
	if a := call(t, s, "DELETE", "v3/no/such/route", nil); a.status != 502 {
		t.Errorf("wildcard fault: %d %s", a.status, a.body)
	}
	if a := call(t, s, "DELETE", "v3/no/such/route", nil); a.status != 404 || a.code() != "NOT_FOUND" {
		t.Errorf("after the wildcard fault: %d %s", a.status, a.body)
	}

	// A later Fault for the same route replaces the earlier one.
	s.Fault("GET", "v3/certificates", Fault{Status: 503})
	s.Fault("GET", "v3/certificates", Fault{Status: 504})
	if a := call(t, s, "GET", "v3/certificates", nil); a.status != 504 {
		t.Errorf("replaced fault: %d", a.status)
	}
	// Faults on placeholders match like routes.
	s.ClearFaults()
	s.Fault("GET", RouteQueryByOutTradeNo, Fault{Status: 500})
	if a := call(t, s, "GET", "v3/pay/transactions/out-trade-no/A1?mchid=1230000109", nil); a.status != 500 {
		t.Errorf("placeholder fault: %d", a.status)
	}
}

// TestFaultDelay: the answer is held back until the client gives up (no
// timing assertions: the client's deadline is far shorter than the delay).
func TestFaultDelay(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	s.Fault("GET", "v3/certificates", Fault{Delay: time.Hour, Times: 1})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req := newRequest(t, s, "GET", "v3/certificates", nil)
	req = req.WithContext(ctx)
	req.Header.Set("Authorization", credsFor(s).authorization("GET", req.URL.RequestURI(), nil))
	resp, err := testClient.Do(req)
	if err == nil {
		resp.Body.Close()
		t.Fatalf("delayed request answered %d", resp.StatusCode)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error %v, want the client's deadline", err)
	}
	// Times: 1, so the next request is answered.
	if a := call(t, s, "GET", "v3/certificates", nil); a.status != 404 {
		t.Errorf("after the delay fault: %d", a.status)
	}
}

// TestCloseEndsDelay: Close does not wait out a pending delay.
func TestCloseEndsDelay(t *testing.T) {
	t.Parallel()
	s, err := New()
	if err != nil {
		t.Fatal(err)
	}
	s.Fault("*", "*", Fault{Delay: time.Hour})
	delaying := make(chan struct{})
	s.testHookDelay = func() { close(delaying) }
	done := make(chan error, 1)
	go func() {
		req, err := http.NewRequest("GET", s.URL+"v3/certificates", nil)
		if err != nil {
			done <- err
			return
		}
		resp, err := testClient.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		done <- err
	}()
	select {
	case <-delaying:
	case err := <-done:
		t.Fatalf("request finished before Close: %v", err)
	}
	s.Close()
	<-done // returns (with an error or an empty answer) instead of after an hour
}
