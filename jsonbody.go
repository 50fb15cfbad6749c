package wechatpay

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sync"
)

// jsonEncoder is a reusable encoder writing into its own buffer.
type jsonEncoder struct {
	buf bytes.Buffer
	enc *json.Encoder
}

// maxPooledJSON is the largest buffer put back into jsonEncoders: a rare
// huge body is not kept alive by the pool.
const maxPooledJSON = 64 << 10

var jsonEncoders = sync.Pool{New: func() any {
	e := new(jsonEncoder)
	e.enc = json.NewEncoder(&e.buf)
	e.enc.SetEscapeHTML(false)
	return e
}}

// marshalJSON encodes v as JSON without HTML escaping (WeChat Pay compares
// and signs the exact bytes; "<" stays "<"). The encoder and its buffer
// are pooled; the result is a fresh slice of exactly the encoded bytes,
// owned by the caller.
func marshalJSON(v any) ([]byte, error) {
	e := jsonEncoders.Get().(*jsonEncoder)
	defer func() {
		if e.buf.Cap() <= maxPooledJSON {
			e.buf.Reset()
			jsonEncoders.Put(e)
		}
	}()
	if err := e.enc.Encode(v); err != nil {
		return nil, fmt.Errorf("%w: option \"json\": %w", ErrTemplate, err)
	}
	return bytes.Clone(bytes.TrimSuffix(e.buf.Bytes(), []byte("\n"))), nil
}
