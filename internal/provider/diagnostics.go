package provider

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/ngrok"
)

// addAPIError turns a client error into a diagnostic a person can act on:
// what failed (summary), why, what the API said (code and operation ID, which
// ngrok support asks for), and what to do next.
func addAPIError(diags *diag.Diagnostics, summary string, err error) {
	diags.AddError(summary, describeAPIError(err))
}

// addAPIErrorAt is addAPIError on the attribute at p, when p is not empty.
func addAPIErrorAt(diags *diag.Diagnostics, p path.Path, summary string, err error) {
	if p.Equal(path.Empty()) {
		addAPIError(diags, summary, err)
		return
	}
	diags.AddAttributeError(p, summary, describeAPIError(err))
}

func describeAPIError(err error) string {
	var b strings.Builder
	msg := err.Error()
	b.WriteString(msg)
	if !strings.HasSuffix(msg, ".") {
		b.WriteString(".")
	}

	var apiErr *ngrok.Error
	var transportErr *ngrok.TransportError
	var ambiguous *ngrok.AmbiguousCreateError
	var unserved *ngrok.UnservedCollectionError
	var refused *ngrok.KeyRefusedError
	var lost *ngrok.UnreachableError
	switch {
	case errors.As(err, &refused) && refused.Earlier != nil, errors.As(err, &lost) && lost.Earlier != nil:
		// The request that met the failure explains it in full, once.
	case errors.As(err, &lost):
		check := "check " + cmp.Or(lost.Source, "api_base_url") + ". ngrok's API is " + ngrok.DefaultBaseURL +
			"; an emulator's is the NGROK_API_BASE_URL it prints when it starts."
		if lost.Source == defaultSource {
			check = "check that this machine can reach " + ngrok.DefaultBaseURL + " (a proxy or firewall may be in the way)."
		}
		b.WriteString("\n\nNothing answered at that address, so it was not tried for long: " + check +
			" Once the API has answered, a refused connection (a restarting proxy) is retried for as long as max_retries allows.")
	case errors.Is(err, context.DeadlineExceeded):
		b.WriteString("\n\nThe operation ran out of time. If the API is slow or the account is near its rate limit, " +
			"raise its timeout (the timeouts block) or lower the number of requests other tools send with this account.")
	case errors.As(err, &ambiguous):
		// Its message already says what to do.
	case errors.As(err, &unserved):
		b.WriteString("\n\nCheck " + cmp.Or(unserved.Source, "api_base_url (or NGROK_API_BASE_URL)") + ": ngrok's API is " +
			ngrok.DefaultBaseURL + ", with no path, and the emulator's is the NGROK_API_BASE_URL it prints.")
		if unserved.NotFound != nil {
			b.WriteString(" Nothing was taken to be deleted, and state is unchanged.")
		}
	case errors.As(err, &transportErr) && transportErr.Interrupted():
		// Interrupted: the message says whether the request was sent.
	case errors.As(err, &transportErr):
		b.WriteString("\n\nCheck that api_base_url is right and the API is reachable from here.")
	case errors.As(err, &apiErr):
		switch {
		case apiErr.Malformed:
			b.WriteString("\n\nThe API's reply was not what ngrok documents, so nothing was assumed from it. " +
				"A proxy between here and the API may have answered instead; if it persists, report the operation ID to ngrok.")
		case apiErr.IsUnauthorized() && (apiErr.ErrorCode == "ERR_NGROK_206" || apiErr.ErrorCode == "ERR_NGROK_207"):
			b.WriteString("\n\nThe key from " + keySource(refused) + " is an agent authtoken, the credential the ngrok agent logs in with " +
				"(ngrok config add-authtoken), not an API key. Create an API key in the ngrok dashboard under API Keys and use that instead.")
		case apiErr.ErrorCode == "ERR_NGROK_636":
			b.WriteString("\n\nThe credential's owner is inactive. Set active = true on the owner (ngrok_service_user) first, " +
				"or give the credential another owner_id.")
		case strings.HasPrefix(apiErr.ErrorCode, roleRefusalCodes):
			b.WriteString("\n\nngrok refused the roles this configuration gives the service user; its message above names the roles it " +
				"allows. Set roles to those, or remove roles to leave the user's roles unmanaged.")
		case apiErr.ErrorCode == "ERR_NGROK_635":
			b.WriteString("\n\nThe API key's owner may read but not change anything: its roles (developer-readonly, say) do not let it " +
				"write. Use a key whose owner may, or give the owner a role that lets it.")
		case apiErr.ErrorCode == "ERR_NGROK_630":
			b.WriteString("\n\nOnly an admin's key may name another owner: the provider's key belongs to a service user, which may " +
				"create credentials for itself only. Omit owner_id, or use an admin's key.")
		case apiErr.ErrorCode == "ERR_NGROK_634":
			b.WriteString("\n\nowner_id names no user of this account. Use the ID of a service user managed here, " +
				"such as ngrok_service_user.<name>.id, or omit owner_id to use the owner of the provider's API key.")
		case apiErr.StatusCode == http.StatusForbidden:
			b.WriteString("\n\nThe API key is not allowed to do this. Check what its owner may do in the ngrok dashboard.")
		case apiErr.IsUnauthorized():
			b.WriteString("\n\nThe API key was refused. Check " + keySource(refused) + ": it must be an API key " +
				"from the ngrok dashboard's API Keys page, not an agent authtoken, and must not have been revoked.")
		case apiErr.IsRateLimited():
			b.WriteString("\n\nThe account's rate limit was still exceeded after every retry. Lower max_requests_per_minute " +
				"if other tools use this account, or raise max_retries.")
		case apiErr.StatusCode >= 500:
			b.WriteString("\n\nThe ngrok API failed after every retry; try again later.")
		}
	}
	return b.String()
}

// keySource names where a refused key came from, when the client knows.
func keySource(refused *ngrok.KeyRefusedError) string {
	if refused != nil && refused.Source != "" {
		return refused.Source
	}
	return "api_key (or NGROK_API_KEY)"
}

// notConfiguredError is the diagnostic for calling the API while the
// provider's configuration is still unknown.
func addNotConfigured(diags *diag.Diagnostics, what string) {
	diags.AddError(fmt.Sprintf("Unable to %s: the provider is not configured yet", what),
		"The ngrok provider block depends on values that are not known until apply (an api_key from another resource, say), "+
			"so the API cannot be called now. Apply the resources it depends on first, for example with -target.")
}
