package wechatpay

import (
	"runtime"
	"strings"
)

// Version is this library's version, sent in the User-Agent header.
const Version = "0.1.0"

// userAgent is the User-Agent sent with every request, e.g.
// "wechatpay-chain/0.1.0 (linux/amd64) Go/1.26.8".
var userAgent = "wechatpay-chain/" + Version + " (" + runtime.GOOS + "/" + runtime.GOARCH + ") Go/" +
	strings.TrimPrefix(runtime.Version(), "go")
