package ngrok

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// maxReplyBytes caps what is read of a reply: a page of 100 users is
// about 25 KiB, so anything near this is not the API talking.
const maxReplyBytes = 2 << 20

// idempotentKey marks a request's context as safe to retry after its outcome
// became unknown (a dropped connection, a 5xx). checkRetry sees only the
// context, the reply and the error, so the request says it this way.
type idempotentKey struct{}

// do sends one API request, retrying as policy allows, and returns the
// reply of a success. path is relative to the base URL and may carry a query.
func (c *Client) do(ctx context.Context, method, path string, body any) (reply, error) {
	target, err := c.resolve(path)
	if err != nil {
		return reply{}, err
	}
	return c.doURL(ctx, method, target, body)
}

// send is doURL's request, sent without regard to the client's contact.
// displayPath is c.displayPath(target), which doURL has already worked out.
func (c *Client) send(ctx context.Context, method string, target *url.URL, displayPath string, body any) (reply, error) {
	reqPath := target.EscapedPath()
	if target.RawQuery != "" {
		reqPath += "?" + target.RawQuery
	}

	var payload []byte
	if body != nil {
		var err error
		if payload, err = json.Marshal(body); err != nil {
			return reply{}, fmt.Errorf("encoding the %s %s request: %w", method, displayPath, err)
		}
	}
	if method != http.MethodPost {
		ctx = context.WithValue(ctx, idempotentKey{}, true)
	}
	state := sendStateOf(ctx)
	if state == nil {
		state = &sendState{}
		ctx = withSendState(ctx, state)
	}
	var rawBody any
	if payload != nil {
		rawBody = payload
	}
	req, err := retryablehttp.NewRequestWithContext(ctx, method, target.String(), rawBody)
	if err != nil {
		return reply{}, fmt.Errorf("building the %s %s request: %w", method, displayPath, err)
	}
	req.Header.Set("Authorization", "Bearer "+c.apiKey)
	req.Header.Set("Ngrok-Version", APIVersion)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)
	if payload != nil {
		req.Header.Set("Content-Type", "application/json")
	}

	start := time.Now()
	resp, err := c.http.Do(req)
	if err != nil {
		if resp != nil {
			// The error handler passes the last reply through with the error.
			_ = resp.Body.Close()
		}
		acted, _, waiting := state.outcome()
		te := &TransportError{Method: method, Path: displayPath, Err: scrubError(err, c.apiKey), Sent: acted}
		if ctx.Err() != nil {
			te.Ended, te.Waiting = ctx.Err(), waiting
		}
		return reply{}, te
	}
	defer func() { _ = resp.Body.Close() }()
	data, readErr := io.ReadAll(io.LimitReader(resp.Body, maxReplyBytes+1))
	c.log.Debug(ctx, "ngrok API call", map[string]any{
		"method":       method,
		"path":         reqPath,
		"status":       resp.StatusCode,
		"operation_id": resp.Header.Get("Ngrok-Operation-Id"),
		"duration_ms":  time.Since(start).Milliseconds(),
	})
	if readErr != nil {
		return reply{}, &TransportError{Method: method, Path: displayPath, Err: readErr, Sent: true}
	}
	if len(data) > maxReplyBytes {
		return reply{}, malformed(method, displayPath, resp.StatusCode, resp.Header, "the reply is larger than %d MiB", maxReplyBytes>>20)
	}
	if resp.StatusCode >= 400 {
		e := apiError(method, displayPath, resp.StatusCode, resp.Header, data)
		// A gateway that echoes request headers into its error page must
		// not carry the key into a diagnostic.
		e.Message = Scrub(e.Message, c.apiKey)
		return reply{}, e
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return reply{}, malformed(method, displayPath, resp.StatusCode, resp.Header, "unexpected HTTP status %d", resp.StatusCode)
	}
	return reply{method: method, path: displayPath, status: resp.StatusCode, header: resp.Header, body: data}, nil
}

// resolve joins a path (with an optional query) to the base URL.
func (c *Client) resolve(path string) (*url.URL, error) {
	rel, err := url.Parse(path)
	if err != nil {
		return nil, fmt.Errorf("building a request for %q: %w", path, err)
	}
	return c.onBase(rel.Path, rel.RawQuery), nil
}

// sameOrigin turns a URL the API handed back (a next_page_uri) into one on the
// configured base: the key is only ever sent to the host the user configured,
// even if a reply names another.
func (c *Client) sameOrigin(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, err
	}
	path := u.Path
	if u.Host != "" && u.Host != c.base.Host {
		// Keep the API path only: everything after the origin's own prefix.
		for _, col := range knownCollections {
			if i := strings.Index(path, "/"+string(col)); i >= 0 {
				path = path[i:]
				break
			}
		}
	} else {
		path = strings.TrimPrefix(path, c.base.Path)
	}
	return c.onBase(path, u.RawQuery), nil
}

// onBase is the base URL with path appended to its own and rawQuery as its query.
func (c *Client) onBase(path, rawQuery string) *url.URL {
	u := *c.base
	u.Path = c.base.Path + path
	u.RawPath = ""
	u.RawQuery = rawQuery
	return &u
}
