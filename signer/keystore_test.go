package signer_test

import (
	"crypto/rsa"
	"errors"
	"strconv"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wechatpay-chain/wechatpay/signer"
)

func TestKeyStore(t *testing.T) {
	t.Parallel()
	key, other := keys(t)
	input := map[string]*rsa.PublicKey{"B": &key.PublicKey, "A": &other.PublicKey}
	ks, err := signer.NewKeyStore(input)
	if err != nil {
		t.Fatal(err)
	}
	input["C"] = &key.PublicKey // the store holds a copy
	if diff := cmp.Diff([]string{"A", "B"}, ks.Serials()); diff != "" {
		t.Errorf("Serials mismatch (-want +got):\n%s", diff)
	}
	if got, ok := ks.Get("B"); !ok || !got.Equal(&key.PublicKey) {
		t.Errorf("Get(B) = %v, %v", got, ok)
	}
	if _, ok := ks.Get("b"); ok {
		t.Error("Get is not case-sensitive")
	}
	if err := ks.Set("PUB_KEY_ID_1", &key.PublicKey); err != nil {
		t.Fatal(err)
	}
	ks.Remove("A")
	ks.Remove("missing")
	if diff := cmp.Diff([]string{"B", "PUB_KEY_ID_1"}, ks.Serials()); diff != "" {
		t.Errorf("after Set and Remove (-want +got):\n%s", diff)
	}
	if err := ks.Replace(map[string]*rsa.PublicKey{"X": &key.PublicKey, "": &key.PublicKey}); !errors.Is(err, signer.ErrInvalidKey) {
		t.Errorf("Replace with an empty serial: %v, want ErrInvalidKey", err)
	}
	if diff := cmp.Diff([]string{"B", "PUB_KEY_ID_1"}, ks.Serials()); diff != "" {
		t.Errorf("a failed Replace changed the store (-want +got):\n%s", diff)
	}
	if err := ks.Replace(map[string]*rsa.PublicKey{"X": &key.PublicKey}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"X"}, ks.Serials()); diff != "" {
		t.Errorf("after Replace (-want +got):\n%s", diff)
	}
	for name, err := range map[string]error{
		"Set empty serial": ks.Set("", &key.PublicKey),
		"Set nil key":      ks.Set("Y", nil),
		"Set key nil N":    ks.Set("Y", &rsa.PublicKey{}),
	} {
		if !errors.Is(err, signer.ErrInvalidKey) {
			t.Errorf("%s: %v, want ErrInvalidKey", name, err)
		}
	}
	if _, err := signer.NewKeyStore(map[string]*rsa.PublicKey{"Z": nil}); !errors.Is(err, signer.ErrInvalidKey) {
		t.Errorf("NewKeyStore with a nil key: %v, want ErrInvalidKey", err)
	}
	empty, err := signer.NewKeyStore(nil)
	if err != nil || len(empty.Serials()) != 0 {
		t.Errorf("NewKeyStore(nil) = %v, %v; want an empty store", empty.Serials(), err)
	}
	var zero signer.KeyStore
	if _, ok := zero.Get("X"); ok {
		t.Error("zero KeyStore found a key")
	}
	if err := zero.Set("X", &key.PublicKey); err != nil {
		t.Errorf("zero KeyStore Set: %v", err)
	}
}

// TestKeyStoreConcurrent exercises readers and writers together; run with -race.
func TestKeyStoreConcurrent(t *testing.T) {
	t.Parallel()
	key, _ := keys(t)
	ks, err := signer.NewKeyStore(map[string]*rsa.PublicKey{"KEEP": &key.PublicKey})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := range 200 {
				s := strconv.Itoa(w*1000 + i)
				if err := ks.Set(s, &key.PublicKey); err != nil {
					t.Error(err)
				}
				ks.Remove(s)
			}
		})
		wg.Go(func() {
			for range 200 {
				if _, ok := ks.Get("KEEP"); !ok {
					t.Error("lost KEEP during concurrent updates")
					return
				}
				_ = ks.Serials()
			}
		})
	}
	wg.Wait()
	if diff := cmp.Diff([]string{"KEEP"}, ks.Serials()); diff != "" {
		t.Errorf("after concurrent Set/Remove (-want +got):\n%s", diff)
	}
}
