package wechatpay

import (
	"context"
	"errors"
	"fmt"
	"net/url"
)

// send executes a prepared request: resty builds the http.Request, the
// middleware stack signs it and verifies the answer, and non-2xx answers
// become *APIError. A panic anywhere below (a user middleware) is
// recovered into an error matching ErrPanic.
func (c *Client) send(ctx context.Context, req *preparedRequest) (resp *Response, err error) {
	if ctx == nil {
		return nil, errNilContext
	}
	defer recoverInto(&err)
	if c.slots != nil {
		select {
		case c.slots <- struct{}{}:
			defer func() { <-c.slots }()
		case <-ctx.Done():
			return nil, fmt.Errorf("wechatpay: %s %s: waiting for a free slot (MaxConcurrent): %w", req.method, req.path, ctx.Err())
		}
	}

	r := c.rc.R().SetContext(withAttempts(req.requestContext(ctx)))
	r.Header = req.header
	if req.body != nil {
		r.SetBody(req.body)
	}
	r.AddRetryCondition(retryCondition(req.method, req.retry))

	rr, err := r.Execute(req.method, req.url)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fmt.Errorf("wechatpay: %s %s: %w", req.method, req.path, err)
	}
	status := rr.StatusCode()
	if status < 200 || status > 299 {
		return nil, newAPIError(req.method, req.path, status, rr.Header(), rr.Body())
	}
	return &Response{status: status, header: rr.Header(), body: rr.Body()}, nil
}

// slots returns a semaphore of n slots, or nil for no limit.
func slots(n int) chan struct{} {
	if n <= 0 {
		return nil
	}
	return make(chan struct{}, n)
}
