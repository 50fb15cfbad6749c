package wechatpaytest_test

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/wechatpay-chain/wechatpay/wechatpaytest"
)

// Example sends the seed request, signed by hand with net/http, to an
// in-process server.
func Example() {
	srv := wechatpaytest.NewServer()
	defer srv.Close()

	const path = "v3/marketing/membercard-open/cards/478515832665/codes/478515832665/bonus/prepare"
	body := `{"out_trade_no":"1217752501201407033233368018","mchid":"1230000109","sub_mchid":"1900000109","bonus_value":30}`
	req, err := http.NewRequest(http.MethodPost, srv.URL+path, strings.NewReader(body))
	if err != nil {
		fmt.Println(err)
		return
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")

	// METHOD\nREQUEST-URI\nTIMESTAMP\nNONCE\nBODY\n, RSA PKCS#1 v1.5 over SHA-256.
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	nonce := "593BEC0C930BF1AFEB40B4A08C8FB242"
	digest := sha256.Sum256([]byte(req.Method + "\n" + req.URL.RequestURI() + "\n" + ts + "\n" + nonce + "\n" + body + "\n"))
	sig, err := rsa.SignPKCS1v15(rand.Reader, srv.MerchantKey(), crypto.SHA256, digest[:])
	if err != nil {
		fmt.Println(err)
		return
	}
	req.Header.Set("Authorization", fmt.Sprintf(
		`WECHATPAY2-SHA256-RSA2048 mchid="%s",serial_no="%s",timestamp="%s",nonce_str="%s",signature="%s"`,
		srv.MchID(), srv.MerchantSerial(), ts, nonce, base64.StdEncoding.EncodeToString(sig)))

	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	fmt.Println(resp.Status)
	fmt.Println(resp.Header.Get("Wechatpay-Serial") == srv.PlatformSerial())
	// Output:
	// 204 No Content
	// true
}
