package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// readRecorder serves the test provider and keeps the error diagnostics of
// every ReadResource, which is what a refresh shows for each resource.
type readRecorder struct {
	tfprotov6.ProviderServer
	mu    *sync.Mutex
	diags *[]*tfprotov6.Diagnostic
}

func (r readRecorder) ReadResource(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	resp, err := r.ProviderServer.ReadResource(ctx, req)
	if resp != nil {
		r.mu.Lock()
		for _, d := range resp.Diagnostics {
			if d.Severity == tfprotov6.DiagnosticSeverityError {
				*r.diags = append(*r.diags, d)
			}
		}
		r.mu.Unlock()
	}
	return resp, err
}

// A wrong key with seven users in state is explained once, by the read that
// met the refusal; the six others fail without a request and say so in a line.
func TestAccProvider_wrongKeyIsExplainedOnce(t *testing.T) {
	accPreCheck(t)
	srv := testEmulator(t)
	users := `
resource "ngrok_service_user" "u" {
  count = 7
  name  = "u${count.index}"
}
`
	wrongKey := providerWith(`api_key      = "not-the-key"`, fmt.Sprintf(`api_base_url = %q`, srv.URL()))

	var mu sync.Mutex
	var diags []*tfprotov6.Diagnostic
	factories := factoriesWith(nil)
	serve := factories["ngrok"]
	factories["ngrok"] = func() (tfprotov6.ProviderServer, error) {
		s, err := serve()
		return readRecorder{ProviderServer: s, mu: &mu, diags: &diags}, err
	}
	requests := -1
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories,
		Steps: []resource.TestStep{
			{Config: providerBlock(srv) + users},
			{
				PreConfig: func() {
					srv.ResetCounts()
					mu.Lock()
					diags = nil
					mu.Unlock()
				},
				Config:      wrongKey + users,
				ExpectError: regexp.MustCompile(`(?s)API\s+key\s+\(from\s+api_key\)\s+was\s+refused.*ERR_NGROK_203`),
			},
			{
				PreConfig: func() { requests = srv.TotalRequests() },
				Config:    providerBlock(srv) + users,
			},
		},
	})

	mu.Lock()
	defer mu.Unlock()
	full, short := 0, 0
	for _, d := range diags {
		switch {
		case strings.Contains(d.Detail, "ERR_NGROK_203") && strings.Contains(d.Detail, "The API key was refused. Check api_key:"):
			full++
		case strings.Contains(d.Detail, "not sent: the API key (from api_key) was refused by the API earlier in this run") &&
			!strings.Contains(d.Detail, "ERR_NGROK"):
			short++
		default:
			t.Errorf("unexpected diagnostic %q: %q", d.Summary, d.Detail)
		}
	}
	if full != 1 || full+short != 7 {
		t.Errorf("%d full explanations and %d short ones, want 1 and 6 (one per user)", full, short)
	}
	// One terraform command ran with the wrong key before it failed, and
	// its provider sent one request.
	if requests != 1 {
		t.Errorf("the run with the wrong key sent %d requests, want 1", requests)
	}
	t.Logf("wrong key, 7 users in state: %d requests, %d full and %d short diagnostics", requests, full, short)
}

// The error for an API that never answered says where the URL came from
// when it came from the environment.
func TestAccProvider_unreachableFromTheEnvironment(t *testing.T) {
	accPreCheck(t)
	t.Setenv("NGROK_API_KEY", "")
	t.Setenv("NGROK_API_BASE_URL", "http://127.0.0.1:1")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{{
			Config:      providerWith(`api_key = "k"`) + ciUser,
			ExpectError: regexp.MustCompile(`(?s)http://127.0.0.1:1\s+\(from\s+the\s+NGROK_API_BASE_URL\s+environment\s+variable\)\s+has\s+not\s+answered\s+once:\s+3\s+attempts.*check\s+the\s+NGROK_API_BASE_URL`),
		}},
	})
}
