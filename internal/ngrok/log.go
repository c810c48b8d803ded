package ngrok

import (
	"context"
	"net/http"

	"github.com/hashicorp/go-retryablehttp"
)

// Logger receives the client's structured log lines. Fields never contain
// the API key or any request header.
type Logger interface {
	Debug(ctx context.Context, msg string, fields map[string]any)
	Warn(ctx context.Context, msg string, fields map[string]any)
}

type nopLogger struct{}

func (nopLogger) Debug(context.Context, string, map[string]any) {}
func (nopLogger) Warn(context.Context, string, map[string]any)  {}

// logAttempt is retryablehttp's request hook: it announces retries, which
// retryablehttp would otherwise log through its own logger, without context.
func (c *Client) logAttempt(_ retryablehttp.Logger, r *http.Request, attempt int) {
	if attempt == 0 {
		return
	}
	c.log.Warn(r.Context(), "retrying ngrok API call", map[string]any{
		"method":  r.Method,
		"path":    r.URL.Path,
		"attempt": attempt + 1,
	})
}
