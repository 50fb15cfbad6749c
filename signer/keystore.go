package signer

import (
	"crypto/rsa"
	"fmt"
	"maps"
	"slices"
	"sync"
	"sync/atomic"
)

// KeyStore maps platform certificate serials and WeChat Pay public key ids
// ("PUB_KEY_ID_…") to RSA public keys. Merchants migrating from platform
// certificates to public keys hold both kinds at once; they live in the
// same map. Lookups are exact and case-sensitive.
//
// A KeyStore is safe for concurrent use: reads are lock-free snapshots and
// updates build a new map (copy-on-write), so a refresh never disturbs a
// verification in flight. KeyStore implements Verifier.
type KeyStore struct {
	mu   sync.Mutex                                // serialises writers
	keys atomic.Pointer[map[string]*rsa.PublicKey] // never nil after NewKeyStore
}

// NewKeyStore returns a store holding a copy of keys. An empty serial or a
// nil key is an error. A nil or empty map gives an empty store.
func NewKeyStore(keys map[string]*rsa.PublicKey) (*KeyStore, error) {
	k := &KeyStore{}
	if err := k.Replace(keys); err != nil {
		return nil, err
	}
	return k, nil
}

// snapshot returns the current map; callers must not modify it.
func (k *KeyStore) snapshot() map[string]*rsa.PublicKey {
	if m := k.keys.Load(); m != nil {
		return *m
	}
	return nil
}

// Get returns the key for serial.
func (k *KeyStore) Get(serial string) (*rsa.PublicKey, bool) {
	pub, ok := k.snapshot()[serial]
	return pub, ok
}

// Serials returns the serials in the store, sorted.
func (k *KeyStore) Serials() []string {
	return slices.Sorted(maps.Keys(k.snapshot()))
}

// Set adds or replaces the key for serial.
func (k *KeyStore) Set(serial string, key *rsa.PublicKey) error {
	if err := checkEntry(serial, key); err != nil {
		return err
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	next := maps.Clone(k.snapshot())
	if next == nil {
		next = make(map[string]*rsa.PublicKey, 1)
	}
	next[serial] = key
	k.keys.Store(&next)
	return nil
}

// Remove deletes the key for serial, if present.
func (k *KeyStore) Remove(serial string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	cur := k.snapshot()
	if _, ok := cur[serial]; !ok {
		return
	}
	next := maps.Clone(cur)
	delete(next, serial)
	k.keys.Store(&next)
}

// Replace swaps the whole content of the store for a copy of keys, at
// once. On error the store is left unchanged.
func (k *KeyStore) Replace(keys map[string]*rsa.PublicKey) error {
	next := make(map[string]*rsa.PublicKey, len(keys))
	for serial, key := range keys {
		if err := checkEntry(serial, key); err != nil {
			return err
		}
		next[serial] = key
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	k.keys.Store(&next)
	return nil
}

// Verify implements Verifier: it looks up serial and checks the signature
// with VerifySignature. An unknown serial is a *VerificationError with Rule
// RuleUnknownSerial.
func (k *KeyStore) Verify(serial string, message []byte, signature string) error {
	pub, ok := k.Get(serial)
	if !ok {
		return verificationError(RuleUnknownSerial, fmt.Sprintf("no key for serial %q", serial), nil)
	}
	return VerifySignature(pub, message, signature)
}

// VerifyDigest implements DigestVerifier: Verify over the SHA-256 digest
// of the message.
func (k *KeyStore) VerifyDigest(serial string, digest [32]byte, signature string) error {
	pub, ok := k.Get(serial)
	if !ok {
		return verificationError(RuleUnknownSerial, fmt.Sprintf("no key for serial %q", serial), nil)
	}
	return verifyDigest(pub, digest, signature)
}

// checkEntry validates one serial/key pair.
func checkEntry(serial string, key *rsa.PublicKey) error {
	if serial == "" {
		return fmt.Errorf("signer: key store: empty serial: %w", ErrInvalidKey)
	}
	if key == nil || key.N == nil {
		return fmt.Errorf("signer: key store: nil key for serial %q: %w", serial, ErrInvalidKey)
	}
	return nil
}
