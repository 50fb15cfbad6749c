package template_test

import (
	"errors"
	"fmt"

	"github.com/wechatpay-chain/wechatpay/template"
)

func Example() {
	t := template.MustParse("v3/marketing/membercard-open/cards/{card_id}/codes/{code}/bonus/prepare")
	path, err := t.Expand(map[string]any{
		"card_id": "pFS7Fjg8kV1I",
		"code":    "478515832665",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(path)
	fmt.Println(t.Names())
	// Output:
	// v3/marketing/membercard-open/cards/pFS7Fjg8kV1I/codes/478515832665/bonus/prepare
	// [card_id code]
}

func ExampleParse() {
	_, err := template.Parse("v3/pay/transactions/id/{transaction_id")
	fmt.Println(err)
	fmt.Println(errors.Is(err, template.ErrTemplate))
	// Output:
	// wechatpay: template error: unclosed expression at offset 23 in "v3/pay/transactions/id/{transaction_id"
	// true
}

func ExampleTemplate_Expand() {
	t := template.MustParse("v3/bill/{kind}{?bill_date,tar_type,mchid*}")
	path, _ := t.Expand(map[string]any{
		"kind":      "tradebill",
		"bill_date": "2019-06-11",
		"tar_type":  nil,                     // undefined: omitted
		"mchid":     []int{1900000109, 1230}, // a list, exploded
	})
	fmt.Println(path)
	// Output: v3/bill/tradebill?bill_date=2019-06-11&mchid=1900000109&mchid=1230
}

// Values are percent-encoded, so a value cannot leave its path segment;
// only the reserved operator {+var} lets "/" through.
func ExampleTemplate_Expand_encoding() {
	t := template.MustParse("v3/{id}/{+rest}{?q}")
	path, _ := t.Expand(map[string]any{"id": "a/../b", "rest": "x/y%2Fz", "q": "héllo wörld"})
	fmt.Println(path)
	// Output: v3/a%2F..%2Fb/x/y%2Fz?q=h%C3%A9llo%20w%C3%B6rld
}

func ExampleTemplate_Expand_operators() {
	vars := map[string]any{
		"list": []string{"red", "green"},
		"keys": map[string]string{"semi": ";", "dot": "."},
		"var":  "value",
	}
	for _, src := range []string{"{list}", "{/list*}", "{;keys*}", "{?list*}", "{.var:3}", "{#keys}"} {
		s, _ := template.MustParse(src).Expand(vars)
		fmt.Printf("%-9s %s\n", src, s)
	}
	// Output:
	// {list}    red,green
	// {/list*}  /red/green
	// {;keys*}  ;dot=.;semi=%3B
	// {?list*}  ?list=red&list=green
	// {.var:3}  .val
	// {#keys}   #dot,.,semi,;
}

func ExampleTemplate_Expand_error() {
	t := template.MustParse("v3/{id}")
	_, err := t.Expand(map[string]any{"id": struct{ N int }{1}})
	var te *template.Error
	if errors.As(err, &te) {
		fmt.Println(te.Var)
	}
	fmt.Println(err)
	// Output:
	// id
	// wechatpay: template error: variable "id": unsupported type struct { N int } (want a string, bool, number, fmt.Stringer, or a list or map of those) in "v3/{id}"
}

func ExampleTemplate_AppendExpand() {
	t := template.MustParse("/v3/certificates{?algorithm_type}")
	buf := []byte("https://api.mch.weixin.qq.com")
	buf, err := t.AppendExpand(buf, map[string]any{"algorithm_type": "RSA"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(string(buf))
	// Output: https://api.mch.weixin.qq.com/v3/certificates?algorithm_type=RSA
}
