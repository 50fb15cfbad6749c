module github.com/wechatpay-chain/wechatpay/bench

go 1.26.0

require (
	github.com/wechatpay-apiv3/wechatpay-go v0.2.21
	github.com/wechatpay-chain/wechatpay v0.0.0
)

require (
	github.com/go-resty/resty/v2 v2.17.2 // indirect
	github.com/tidwall/gjson v1.20.2 // indirect
	github.com/tidwall/match v1.1.1 // indirect
	github.com/tidwall/pretty v1.3.0 // indirect
	golang.org/x/crypto v0.57.0 // indirect
	golang.org/x/net v0.59.0 // indirect
	software.sslmate.com/src/go-pkcs12 v0.6.0 // indirect
)

replace github.com/wechatpay-chain/wechatpay => ../
