package signer_test

import (
	"crypto/rsa"
	"errors"
	"fmt"
	"log"
	"net/http"
	"strings"
	"time"

	"github.com/wechatpay-chain/wechatpay/signer"
)

func ExampleRequestMessage() {
	msg := signer.RequestMessage("GET", "/v3/certificates?algorithm_type=RSA", 1554208460, "593BEC0C930BF1AFEB40B4A08C8FB242", nil)
	fmt.Printf("%q\n", msg)
	// Output: "GET\n/v3/certificates?algorithm_type=RSA\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n\n"
}

func ExampleSigner_Authorization() {
	key, err := signer.LoadPrivateKeyFile("testdata/rsa_pkcs8.pem") // apiclient_key.pem
	if err != nil {
		log.Fatal(err)
	}
	s, err := signer.NewSigner("1230000109", "3775B6A45ACD588826D15E583A95F5DD01020304", key)
	if err != nil {
		log.Fatal(err)
	}
	body := []byte(`{"mchid":"1230000109","out_trade_no":"1217752501201407033233368018"}`)
	header, err := s.Authorization("POST", "/v3/pay/transactions/native", body)
	if err != nil {
		log.Fatal(err)
	}
	a, err := signer.ParseAuthorization(header)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(strings.HasPrefix(header, signer.Scheme+` mchid="1230000109",serial_no="3775B6A45ACD588826D15E583A95F5DD01020304",timestamp="`))
	fmt.Println(len(a.Nonce), len(a.Signature))
	// Output:
	// true
	// 32 344
}

func ExampleParseAuthorization() {
	a, err := signer.ParseAuthorization(`WECHATPAY2-SHA256-RSA2048 mchid="1230000109",serial_no="ABCD",timestamp="1554208460",nonce_str="n0nce",signature="c2ln"`)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(a.MchID, a.Serial, a.Timestamp, a.Nonce)

	_, err = signer.ParseAuthorization(`WECHATPAY2-SHA256-RSA2048 mchid="1230000109"`)
	fmt.Println(err)
	// Output:
	// 1230000109 ABCD 1554208460 n0nce
	// signer: malformed Authorization header: missing parameter serial_no
}

func ExampleVerifyHeaders() {
	// Play WeChat Pay: sign an answer with the platform key.
	platformKey, err := signer.LoadPrivateKeyFile("testdata/rsa_pkcs1.pem")
	if err != nil {
		log.Fatal(err)
	}
	platform, err := signer.NewSigner("wechatpay", "PUB_KEY_ID_0114232134912410000000000000", platformKey)
	if err != nil {
		log.Fatal(err)
	}
	body := []byte(`{"trade_state":"SUCCESS"}`)
	sig, err := platform.Sign(signer.ResponseMessage("1700000000", "c5ac7061fccab6bf3e254dcf98995b8c", body))
	if err != nil {
		log.Fatal(err)
	}
	h := http.Header{}
	h.Set("Wechatpay-Timestamp", "1700000000")
	h.Set("Wechatpay-Nonce", "c5ac7061fccab6bf3e254dcf98995b8c")
	h.Set("Wechatpay-Signature", sig)
	h.Set("Wechatpay-Serial", "PUB_KEY_ID_0114232134912410000000000000")

	// The merchant side: the platform public key (pub_key.pem), keyed by its id.
	pub, err := signer.LoadPublicKeyFile("testdata/rsa_spki.pem")
	if err != nil {
		log.Fatal(err)
	}
	store, err := signer.NewKeyStore(map[string]*rsa.PublicKey{"PUB_KEY_ID_0114232134912410000000000000": pub})
	if err != nil {
		log.Fatal(err)
	}
	now := time.Unix(1700000100, 0)
	fmt.Println(signer.VerifyHeaders(store, h, body, now))

	err = signer.VerifyHeaders(store, h, []byte(`{"trade_state":"NOTPAY"}`), now)
	var ve *signer.VerificationError
	fmt.Println(errors.Is(err, signer.ErrVerification), errors.As(err, &ve) && ve.Rule == signer.RuleBadSignature)

	err = signer.VerifyHeaders(store, h, body, now.Add(time.Hour))
	fmt.Println(err)
	// Output:
	// <nil>
	// true true
	// wechatpay: response verification failed: clock skew: Wechatpay-Timestamp 1700000000 is 3700 s behind the local clock, more than the 300 s allowed
}

func ExampleDecryptAEAD() {
	// The resource of a callback, decrypted with the APIv3 key.
	plaintext, err := signer.DecryptAEAD("0123456789abcdef0123456789abcdef", "abcdefghijkl", "certificate", "Eu6onfHUEIosXZ2dzH6+OJ3Bk51x2D4=")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(string(plaintext))
	// Output: {"a":1}
}

func ExampleEncryptOAEP() {
	pub, err := signer.LoadPublicKeyFile("testdata/rsa_cert.pem") // a platform certificate
	if err != nil {
		log.Fatal(err)
	}
	ciphertext, err := signer.EncryptOAEP(pub, "张三")
	if err != nil {
		log.Fatal(err)
	}
	key, err := signer.LoadPrivateKeyFile("testdata/rsa_pkcs1.pem")
	if err != nil {
		log.Fatal(err)
	}
	name, err := signer.DecryptOAEP(key, ciphertext)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(name)
	// Output: 张三
}

func ExampleCertificateSerial() {
	cert, err := signer.LoadCertificateFile("testdata/rsa_cert.pem")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(signer.CertificateSerial(cert))
	// Output: 3775B6A45ACD588826D15E583A95F5DD01020304
}
