package provider

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/ngrok"
)

// Environment variables that stand in for provider attributes.
const (
	envAPIKey        = "NGROK_API_KEY"
	envAPIBaseURL    = "NGROK_API_BASE_URL"
	envMaxRequests   = "NGROK_MAX_REQUESTS_PER_MINUTE"
	envMaxRetries    = "NGROK_MAX_RETRIES"
	envRefreshMode   = "NGROK_REFRESH_MODE"
	envRateLimitDir  = "NGROK_RATE_LIMIT_DIR"
	maxRetriesLimit  = 100
	maxRequestsLimit = 100000
)

var (
	_ provider.Provider                       = (*ngrokProvider)(nil)
	_ provider.ProviderWithEphemeralResources = (*ngrokProvider)(nil)
	_ provider.ProviderWithListResources      = (*ngrokProvider)(nil)
)

// New returns the provider factory for a release version.
func New(version string) func() provider.Provider {
	return NewWithRateWindow(version, 0)
}

// NewWithRateWindow is New with window in place of ngrok's minute (0 keeps
// the minute): for the end-to-end benchmark's own build only (main.rateWindow).
func NewWithRateWindow(version string, window time.Duration) func() provider.Provider {
	return func() provider.Provider { return &ngrokProvider{version: version, rateWindow: window} }
}

// ngrokProvider is the provider. The tuning fields are zero in releases;
// tests set them to keep retries fast.
type ngrokProvider struct {
	version string

	retryWaitMin, retryWaitMax time.Duration
	// rateWindow stands in for ngrok's minute, so tests and benchmarks can
	// run the rate limit on a compressed clock; zero means a minute.
	rateWindow time.Duration
	// settleTime is how long a create of unknown outcome waits for the user
	// to appear; zero means the client's default.
	settleTime time.Duration
	// clock stands in for time.Now where the provider plans by the time
	// (rotate_after); nil means time.Now.
	clock func() time.Time
}

// providerModel is the provider block.
type providerModel struct {
	APIKey               types.String `tfsdk:"api_key"`
	APIBaseURL           types.String `tfsdk:"api_base_url"`
	MaxRequestsPerMinute types.Int64  `tfsdk:"max_requests_per_minute"`
	MaxRetries           types.Int64  `tfsdk:"max_retries"`
	RefreshMode          types.String `tfsdk:"refresh_mode"`
}

func (p *ngrokProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "ngrok"
	resp.Version = p.version
}

func (p *ngrokProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages ngrok service users through the ngrok REST API. " +
			"Every request is paced to the account's rate limit and retried when that is safe.",
		Attributes: map[string]schema.Attribute{
			"api_key": schema.StringAttribute{
				MarkdownDescription: "An ngrok API key (not an agent authtoken). May also be set with the `" + envAPIKey +
					"` environment variable. It is sent only to `api_base_url` and never appears in logs, state or plans.",
				Optional:  true,
				Sensitive: true,
			},
			"api_base_url": schema.StringAttribute{
				MarkdownDescription: "The base URL of the ngrok API. May also be set with the `" + envAPIBaseURL +
					"` environment variable. Defaults to `" + ngrok.DefaultBaseURL + "`. Plain `http` is accepted only for a " +
					"loopback host (`127.0.0.1`, `::1`, `localhost`), such as the bundled emulator.",
				Optional: true,
			},
			"max_requests_per_minute": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("The most API requests this provider sends in any minute, shared by every "+
					"resource and data source using this account. May also be set with the `%s` environment variable. "+
					"Defaults to %d, ngrok's documented account limit; lower it when other tools use the same account. "+
					"Requests go at once while the rolling minute has room, and a `429` reply makes the provider wait for the "+
					"window to free instead of failing. Every provider process on the machine using the same account and URL "+
					"shares one budget, kept in a small file in the user's cache directory (named by a hash; the key is never "+
					"written); set the `%s` environment variable to another directory to keep it there, or to `%s` to keep "+
					"the budget within each process.", envMaxRequests, ngrok.DefaultRequestsPerMinute, envRateLimitDir, ngrok.RateLimitDirOff),
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(1, maxRequestsLimit)},
			},
			"max_retries": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("How many times one API request is retried after a server error, "+
					"a lost connection or too many simultaneous requests (a `429` for the rate limit is waited out instead, "+
					"as long as the operation's timeout allows), with exponential backoff and jitter, within the operation's timeout. May also be set "+
					"with the `%s` environment variable. Defaults to %d; `0` disables retries.", envMaxRetries, ngrok.DefaultMaxRetries),
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(0, maxRetriesLimit)},
			},
			"refresh_mode": schema.StringAttribute{
				MarkdownDescription: "How a refresh reads the service users and credentials in state. May also be set with the `" + envRefreshMode +
					"` environment variable. `auto` (the default) reads them from pages of 100 shared between resources, " +
					"so refreshing 1,000 users takes about a dozen requests instead of 1,000, and never more requests than " +
					"one per object. `get` reads each with its own request. `list` pages through the whole account from " +
					"the newest object until every read is answered. In `auto` and `list` an object the pages say is gone " +
					"is confirmed with a GET before it leaves the state.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.OneOf(refreshModeNames()...)},
			},
		},
	}
}

func refreshModeNames() []string {
	names := make([]string, len(ngrok.RefreshModes))
	for i, m := range ngrok.RefreshModes {
		names[i] = string(m)
	}
	return names
}

func (p *ngrokProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}

	// A value computed by another resource is unknown while planning. The
	// provider then cannot call the API yet; resources plan from their prior
	// state and the apply, when the value is known, configures it for real.
	if cfg.APIKey.IsUnknown() || cfg.APIBaseURL.IsUnknown() || cfg.MaxRequestsPerMinute.IsUnknown() || cfg.MaxRetries.IsUnknown() || cfg.RefreshMode.IsUnknown() {
		tflog.Info(ctx, "provider configuration depends on values not yet known; API calls wait for the apply")
		data := &providerData{clock: p.clock}
		resp.ResourceData, resp.DataSourceData, resp.EphemeralResourceData, resp.ListResourceData = data, data, data, data
		return
	}

	apiKey := stringOrEnv(cfg.APIKey, envAPIKey)
	baseURL := stringOrEnv(cfg.APIBaseURL, envAPIBaseURL)
	perMinute := int64OrEnv(ctx, cfg.MaxRequestsPerMinute, envMaxRequests, ngrok.DefaultRequestsPerMinute, 1, maxRequestsLimit, path.Root("max_requests_per_minute"), &resp.Diagnostics)
	retries := int64OrEnv(ctx, cfg.MaxRetries, envMaxRetries, ngrok.DefaultMaxRetries, 0, maxRetriesLimit, path.Root("max_retries"), &resp.Diagnostics)

	refreshMode := ngrok.RefreshMode(stringOrEnv(cfg.RefreshMode, envRefreshMode))
	if refreshMode == "" {
		refreshMode = ngrok.RefreshAuto
	} else if !slices.Contains(ngrok.RefreshModes, refreshMode) {
		resp.Diagnostics.AddAttributeError(path.Root("refresh_mode"), "Invalid "+envRefreshMode,
			fmt.Sprintf("The %s environment variable is %q; it must be one of %s.", envRefreshMode, refreshMode, strings.Join(refreshModeNames(), ", ")))
	}

	switch {
	case !cfg.APIKey.IsNull() && strings.TrimSpace(apiKey) == "" && strings.TrimSpace(os.Getenv(envAPIKey)) != "":
		// An empty api_key (an unset variable's "" default, say) is not the
		// same as none: it would hide the key the environment holds.
		resp.Diagnostics.AddAttributeError(path.Root("api_key"), "Empty ngrok API key",
			"api_key is set to an empty string, which overrides the "+envAPIKey+" environment variable: the provider does not "+
				"fall back to the environment for a value that is set. To use "+envAPIKey+", remove api_key or set it to null "+
				"(a variable whose default is null, not \"\"); otherwise set it to an API key.")
	case strings.TrimSpace(apiKey) == "":
		resp.Diagnostics.AddAttributeError(path.Root("api_key"), "Missing ngrok API key",
			"The provider needs an ngrok API key to manage service users. Set api_key in the provider block or the "+
				envAPIKey+" environment variable. Create a key in the ngrok dashboard under API Keys; an agent authtoken will not work.")
	default:
		if err := ngrok.CheckAPIKey(apiKey); err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("api_key"), "Invalid ngrok API key", invalidKeyDetail(apiKey, cfg.APIKey.IsNull(), err))
		}
	}
	if !cfg.APIBaseURL.IsNull() && strings.TrimSpace(baseURL) == "" {
		// An empty api_base_url is a mistake, not a request for the default
		// (that is leaving it unset): taken as the default, it would send the
		// key to production even when NGROK_API_BASE_URL names another API.
		resp.Diagnostics.AddAttributeError(path.Root("api_base_url"), "Empty ngrok API base URL",
			"api_base_url is set to an empty string. To use the "+envAPIBaseURL+" environment variable or, without it, "+
				"the default "+ngrok.DefaultBaseURL+", remove api_base_url or set it to null; otherwise set it to the API's URL.")
	} else if _, err := ngrok.ParseBaseURL(baseURL); err != nil {
		// An API key pasted into the wrong variable must not be shown; the
		// trimmed key also hides the key as given.
		resp.Diagnostics.AddAttributeError(path.Root("api_base_url"), "Invalid ngrok API base URL",
			fmt.Sprintf("The URL from %s cannot be used: %s.", settingSource("api_base_url", envAPIBaseURL, cfg.APIBaseURL.IsNull()),
				ngrok.Scrub(err.Error(), strings.TrimSpace(apiKey))))
	}
	dir := os.Getenv(envRateLimitDir)
	if dir != "" && dir != ngrok.RateLimitDirOff && !filepath.IsAbs(dir) {
		resp.Diagnostics.AddError("Invalid "+envRateLimitDir,
			fmt.Sprintf("The %s environment variable is %q, a relative path. Terraform starts the provider in each configuration's "+
				"directory, so a relative path would name another directory for each, splitting the account's one rate-limit budget "+
				"(and putting the files inside your repository). Give an absolute path, or %q to keep the budget within each process.",
				envRateLimitDir, dir, ngrok.RateLimitDirOff))
	}
	if resp.Diagnostics.HasError() {
		return
	}

	maxRetries := int(retries)
	if maxRetries == 0 {
		maxRetries = -1 // the client reads 0 as "default"
	}
	client, err := ngrok.New(ngrok.Config{
		BaseURL:      baseURL,
		APIKey:       apiKey,
		UserAgent:    p.userAgent(req.TerraformVersion),
		MaxRetries:   maxRetries,
		RetryWaitMin: p.retryWaitMin,
		RetryWaitMax: p.retryWaitMax,
		SettleTime:   p.settleTime,
		Pacer:        ngrok.SharedPacer(ctx, baseURL, apiKey, int(perMinute), cmp.Or(p.rateWindow, time.Minute), dir),
		Logger:       tflogLogger{secret: apiKey},

		APIKeySource:  settingSource("api_key", envAPIKey, cfg.APIKey.IsNull()),
		BaseURLSource: baseURLSource(cfg.APIBaseURL.IsNull(), baseURL),
	})
	if err != nil {
		resp.Diagnostics.AddError("Unable to configure the ngrok client", err.Error())
		return
	}
	// Configure runs once per Terraform operation, so the readers (and what
	// they fetch) live exactly as long as one refresh.
	data := &providerData{client: client, refreshMode: refreshMode, clock: p.clock, leases: openLeases(ctx, client, dir, baseURL, apiKey)}
	resp.ResourceData, resp.DataSourceData, resp.EphemeralResourceData, resp.ListResourceData = data, data, data, data
}

// openLeases opens this process's journal of ephemeral credentials for the
// account, beside the shared rate-limit windows (in the user's cache
// directory when those are kept in each process), and first revokes what
// processes of the account killed outright left in that directory: one
// DELETE per credential left, none when nothing was. It returns nil, with a
// DEBUG line, where no journal can be kept. A sweep that fails is a warning:
// the next run tries again.
func openLeases(ctx context.Context, client *ngrok.Client, dir, baseURL, apiKey string) *ngrok.Leases {
	if dir == "" || dir == ngrok.RateLimitDirOff {
		var err error
		if dir, err = ngrok.DefaultRateLimitDir(); err != nil {
			tflog.Debug(ctx, "ephemeral credentials are not journaled", map[string]any{"reason": err.Error()})
			return nil
		}
	}
	sweepCtx, cancel := context.WithTimeout(ctx, sweepTimeout)
	defer cancel()
	n, err := client.SweepLeases(sweepCtx, dir)
	if n > 0 {
		tflog.Warn(ctx, "revoked ephemeral credentials that an earlier run, killed before it could, left open", map[string]any{"revoked": n})
	}
	if err != nil {
		tflog.Warn(ctx, "ephemeral credentials an earlier run left open could not all be revoked; the next run tries again", map[string]any{"error": err.Error()})
	}
	return ngrok.OpenLeases(dir, baseURL, apiKey)
}

// sweepTimeout bounds the revocation of what earlier runs left open.
const sweepTimeout = 30 * time.Second

// invalidKeyDetail explains a key CheckAPIKey refused, and where it came from,
// without repeating it. The provider does not trim the key itself: it sends
// the key it was given, or none.
func invalidKeyDetail(key string, fromEnv bool, err error) string {
	detail := fmt.Sprintf("The key from %s cannot be used: %s.", settingSource("api_key", envAPIKey, fromEnv), err)
	if trimmed := strings.TrimSpace(key); trimmed != key && ngrok.CheckAPIKey(trimmed) == nil {
		if fromEnv {
			detail += "\n\nSet " + envAPIKey + " to the key alone, without whitespace around it: a value read from a file or pasted often keeps a line break."
		} else {
			detail += "\n\nIf the key comes from file(), wrap it in trimspace(), as in api_key = trimspace(file(\"key.txt\")); " +
				"if it comes from a variable, remove the whitespace from the variable's value."
		}
	}
	return detail
}

// settingSource names where a setting's value came from, for a diagnostic.
func settingSource(attr, env string, fromEnv bool) string {
	if fromEnv {
		return "the " + env + " environment variable"
	}
	return attr
}

// defaultSource is the source of a setting left to its default.
const defaultSource = "the default"

// baseURLSource is settingSource for api_base_url, which has a default.
func baseURLSource(fromEnv bool, baseURL string) string {
	if fromEnv && baseURL == "" {
		return defaultSource
	}
	return settingSource("api_base_url", envAPIBaseURL, fromEnv)
}

func (p *ngrokProvider) userAgent(terraformVersion string) string {
	ua := "terraform-provider-ngrok/" + p.version
	if terraformVersion != "" {
		ua += " terraform/" + terraformVersion
	}
	return ua
}

// Resources are the two user resources and one resource per kind of
// credential.
func (p *ngrokProvider) Resources(context.Context) []func() resource.Resource {
	out := []func() resource.Resource{NewServiceUserResource, NewBotUserResource}
	for _, k := range credentialKinds {
		out = append(out, func() resource.Resource { return newCredentialResource(k) })
	}
	return out
}

// DataSources are the two of users and one list per kind of credential.
func (p *ngrokProvider) DataSources(context.Context) []func() datasource.DataSource {
	out := []func() datasource.DataSource{NewUsersDataSource, NewServiceUserDataSource}
	for _, k := range credentialKinds {
		out = append(out, func() datasource.DataSource { return newCredentialsDataSource(k) })
	}
	return out
}

// ListResources find, for terraform query, every identity a managed
// resource of this provider can adopt: service users and each kind of
// credential.
func (p *ngrokProvider) ListResources(context.Context) []func() list.ListResource {
	out := []func() list.ListResource{NewServiceUserListResource}
	for _, k := range credentialKinds {
		out = append(out, func() list.ListResource { return newCredentialListResource(k) })
	}
	return out
}

// EphemeralResources are the kinds of credential with a token: a credential
// without one (an SSH key) gives a run nothing to use.
func (p *ngrokProvider) EphemeralResources(context.Context) []func() ephemeral.EphemeralResource {
	var out []func() ephemeral.EphemeralResource
	for _, k := range credentialKinds {
		if k.hasToken {
			out = append(out, func() ephemeral.EphemeralResource { return newCredentialEphemeral(k) })
		}
	}
	return out
}

// providerData is what Configure hands to resources and data sources.
type providerData struct {
	client *ngrok.Client

	refreshMode ngrok.RefreshMode
	mu          sync.Mutex
	readers     map[ngrok.Collection]any // *ngrok.BulkReader[T] of the collection's objects
	clock       func() time.Time
	// leases is the account's journal of open ephemeral credentials; nil
	// where none can be kept.
	leases *ngrok.Leases
}

// providerDataFrom is what every resource and data source does in Configure:
// take the provider's data, which is nil before the provider is configured.
func providerDataFrom(v any, diags *diag.Diagnostics) *providerData {
	if v == nil {
		return nil
	}
	data, ok := v.(*providerData)
	if !ok {
		diags.AddError("Unexpected provider data", fmt.Sprintf("Expected *providerData, got %T. This is a bug in the provider.", v))
	}
	return data
}

// configured reports whether the API can be called: false while planning
// with a provider block that depends on values not known yet.
func (d *providerData) configured() bool { return d != nil && d.client != nil }

// reader returns the operation's bulk reader of a user collection.
func (d *providerData) reader(col ngrok.Collection) *ngrok.BulkReader[ngrok.User] {
	return readerOf(d, col, func() *ngrok.BulkReader[ngrok.User] { return d.client.Users(col).NewBulkReader(d.refreshMode) })
}

// credentialReader returns the operation's bulk reader of a credential collection.
func (d *providerData) credentialReader(col ngrok.Collection) *ngrok.BulkReader[ngrok.Credential] {
	return readerOf(d, col, func() *ngrok.BulkReader[ngrok.Credential] {
		return d.client.Credentials(col).NewBulkReader(d.refreshMode)
	})
}

// readerOf returns the operation's bulk reader of col, opened the first time
// it is asked for.
func readerOf[T ngrok.Object](d *providerData, col ngrok.Collection, open func() *ngrok.BulkReader[T]) *ngrok.BulkReader[T] {
	d.mu.Lock()
	defer d.mu.Unlock()
	if r, ok := d.readers[col].(*ngrok.BulkReader[T]); ok {
		return r
	}
	if d.readers == nil {
		d.readers = map[ngrok.Collection]any{}
	}
	r := open()
	d.readers[col] = r
	return r
}

func stringOrEnv(v types.String, env string) string {
	if !v.IsNull() {
		return v.ValueString()
	}
	return os.Getenv(env)
}

// int64OrEnv resolves a numeric setting from the configuration, then the
// environment, then the default, reporting an environment value out of range.
func int64OrEnv(ctx context.Context, v types.Int64, env string, def, lo, hi int64, attr path.Path, diags interface {
	AddAttributeError(path.Path, string, string)
}) int64 {
	if !v.IsNull() {
		return v.ValueInt64()
	}
	raw := strings.TrimSpace(os.Getenv(env))
	if raw == "" {
		return def
	}
	n, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || n < lo || n > hi {
		diags.AddAttributeError(attr, "Invalid "+env,
			fmt.Sprintf("The %s environment variable is %q; it must be a whole number from %d to %d.", env, raw, lo, hi))
		return def
	}
	tflog.Debug(ctx, "provider setting taken from the environment", map[string]any{"variable": env, "value": n})
	return n
}
