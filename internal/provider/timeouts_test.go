package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	tfresource "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/emulator"
)

// Both user resources check every operation's timeout with the library's
// validator and with positiveDurationValidator, which knows the default.
func TestTimeoutsBlock_checksEveryOperation(t *testing.T) {
	for _, r := range []resource.Resource{NewServiceUserResource(), NewBotUserResource()} {
		var resp resource.SchemaResponse
		r.Schema(context.Background(), resource.SchemaRequest{}, &resp)
		block, ok := resp.Schema.Blocks["timeouts"].(schema.SingleNestedBlock)
		if !ok {
			t.Fatalf("timeouts is a %T, want a schema.SingleNestedBlock", resp.Schema.Blocks["timeouts"])
		}
		for _, op := range operations {
			a, ok := block.Attributes[op.name].(schema.StringAttribute)
			if !ok {
				t.Fatalf("timeouts.%s is a %T, want a schema.StringAttribute", op.name, block.Attributes[op.name])
			}
			var found bool
			for _, v := range a.Validators {
				if v.Description(context.Background()) == positiveDurationValidator(0).Description(context.Background()) {
					found = true
					// The default it suggests is this operation's.
					def := "the default of " + op.def.String() + "."
					if got := validate(v, "0s"); op.def == 0 || !strings.HasSuffix(got, def+"\n") {
						t.Errorf(`timeouts.%s refuses "0s" with %q, want it to end %q`, op.name, got, def)
					}
				}
			}
			if !found || len(a.Validators) != 2 {
				t.Errorf("timeouts.%s has validators %#v, want the library's and positiveDurationValidator", op.name, a.Validators)
			}
		}
	}
}

func TestPositiveDurationValidator(t *testing.T) {
	for _, tc := range []struct {
		value types.String
		want  string // "" when valid
	}{
		{types.StringValue("30s"), ""},
		{types.StringValue("1ns"), ""},
		{types.StringValue("2h45m"), ""},
		{types.StringValue("0s"), `timeouts.create is "0s", which is not a positive duration`},
		{types.StringValue("0"), `timeouts.create is "0", which is not a positive duration`},
		{types.StringValue("-5m"), `timeouts.create is "-5m", which is not a positive duration`},
		{types.StringValue("soon"), ""}, // the library's validator says why
		{types.StringNull(), ""},
		{types.StringUnknown(), ""},
	} {
		req := validator.StringRequest{Path: path.Root("timeouts").AtName("create"), ConfigValue: tc.value}
		var resp validator.StringResponse
		positiveDurationValidator(defaultCreateTimeout).ValidateString(context.Background(), req, &resp)
		if tc.want == "" {
			if resp.Diagnostics.HasError() {
				t.Errorf("%s: unexpected %v", tc.value, resp.Diagnostics)
			}
			continue
		}
		if resp.Diagnostics.ErrorsCount() != 1 {
			t.Fatalf("%s: diagnostics %v, want one error", tc.value, resp.Diagnostics)
		}
		d := resp.Diagnostics[0]
		if d.Summary() != "Invalid timeout" || !regexp.MustCompile(regexp.QuoteMeta(tc.want)+`.*"10m".*default of 20m0s`).MatchString(d.Detail()) {
			t.Errorf(`%s: %q: %q, want it to say %q, suggest "10m" and name the default`, tc.value, d.Summary(), d.Detail(), tc.want)
		}
	}
}

// timeoutsValue is a timeouts block with the given durations set.
func timeoutsValue(set map[string]string) timeouts.Value {
	attrTypes := map[string]attr.Type{}
	values := map[string]attr.Value{}
	for _, op := range operations {
		attrTypes[op.name] = types.StringType
		values[op.name] = types.StringNull()
		if v, ok := set[op.name]; ok {
			values[op.name] = types.StringValue(v)
		}
	}
	return timeouts.Value{Object: types.ObjectValueMust(attrTypes, values)}
}

// A state written before validation refused them may hold a timeout of zero
// or less; withTimeout then uses the default, with a warning, rather than
// failing every refresh and destroy at once.
func TestWithTimeout(t *testing.T) {
	for _, tc := range []struct {
		read string
		want time.Duration
		warn bool
	}{
		{"30s", 30 * time.Second, false},
		{"", defaultReadTimeout, false},
		{"0s", defaultReadTimeout, true},
		{"-5m", defaultReadTimeout, true},
	} {
		set := map[string]string{}
		if tc.read != "" {
			set["read"] = tc.read
		}
		var diags diag.Diagnostics
		start := time.Now()
		ctx, cancel := withTimeout(context.Background(), opRead, timeoutsValue(set).Read, &diags)
		deadline, ok := ctx.Deadline()
		cancel()
		if !ok || deadline.Sub(start) < tc.want-time.Second || deadline.Sub(start) > tc.want+time.Second {
			t.Errorf("read = %q: deadline in %s, want %s", tc.read, deadline.Sub(start), tc.want)
		}
		if ctx.Err() != context.Canceled {
			t.Errorf("read = %q: context ended with %v before it was canceled", tc.read, ctx.Err())
		}
		if diags.HasError() || (diags.WarningsCount() == 1) != tc.warn || len(diags) > 1 {
			t.Errorf("read = %q: diagnostics %v, want a warning: %t", tc.read, diags, tc.warn)
		}
		if tc.warn && !regexp.MustCompile(`not a positive duration.*default of 10m0s.*timeouts\.read`).MatchString(diags[0].Detail()) {
			t.Errorf("read = %q: warning %q", tc.read, diags[0].Detail())
		}
	}
}

// A timeout of zero or less fails validation, for every operation of both
// user resources, before any request reaches the API.
func TestAccUserTimeouts_mustBePositive(t *testing.T) {
	accPreCheck(t)
	srv := testEmulator(t)
	for _, typ := range []string{"ngrok_service_user", "ngrok_bot_user"} {
		for _, op := range operations {
			for _, value := range []string{"-5m", "0s"} {
				t.Run(fmt.Sprintf("%s/%s=%s", typ, op.name, value), func(t *testing.T) {
					config := providerBlock(srv) + fmt.Sprintf(`
resource %[1]q "ci" {
  name = "ci"
  timeouts {
    %[2]s = %[3]q
  }
}
`, typ, op.name, value)
					tfresource.ParallelTest(t, tfresource.TestCase{
						ProtoV6ProviderFactories: protoV6Factories,
						Steps: []tfresource.TestStep{{
							Config:      config,
							PlanOnly:    true,
							ExpectError: regexp.MustCompile(fmt.Sprintf(`(?s)Invalid timeout.*timeouts\.%s\s+is\s+%q,\s+which\s+is\s+not\s+a\s+positive\s+duration`, op.name, value)),
						}},
					})
				})
			}
		}
	}
	t.Cleanup(func() {
		if n := srv.TotalRequests(); n != 0 {
			t.Errorf("invalid timeouts reached the API %d times; validation must refuse them first", n)
		}
	})
}

// Positive timeouts still work: create, update and delete under "30s".
func TestAccServiceUser_positiveTimeouts(t *testing.T) {
	accPreCheck(t)
	srv := testEmulator(t)
	config := func(name string) string {
		return providerBlock(srv) + fmt.Sprintf(`
resource "ngrok_service_user" "ci" {
  name = %q
  timeouts {
    create = "30s"
    read   = "30s"
    update = "30s"
    delete = "30s"
  }
}
`, name)
	}
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		CheckDestroy:             checkUserCount(srv, 0),
		Steps: []tfresource.TestStep{
			{
				Config: config("timely"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(userAddr, tfjsonpath.New("timeouts").AtMapKey("create"), knownvalue.StringExact("30s")),
				},
				Check: checkUserInEmulator(srv, "timely", true),
			},
			{
				Config: config("timely-renamed"),
				Check:  checkUserInEmulator(srv, "timely-renamed", true),
			},
		},
	})
}

// A create that outlives its timeout fails with a message that says so, and
// leaves nothing behind: the slow request was abandoned before the API acted.
func TestAccServiceUser_createTimeout(t *testing.T) {
	accPreCheck(t)
	srv := testEmulator(t)
	config := providerBlock(srv) + `
resource "ngrok_service_user" "ci" {
  name = "slow"
  timeouts {
    create = "1s"
  }
}
`
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []tfresource.TestStep{
			{
				PreConfig: func() {
					srv.AddFault(emulator.Fault{Method: "POST", Kind: emulator.FaultLatency, Delay: 5 * time.Second, Times: 1})
				},
				Config:      config,
				ExpectError: regexp.MustCompile(`(?s)Unable to create service user "slow".*ran\s+out\s+of\s+time`),
			},
			{
				// Nothing was created, so nothing was orphaned; the next apply succeeds.
				PreConfig: func() {
					if n := len(srv.Users()); n != 0 {
						t.Errorf("%d users after a timed-out create, want 0", n)
					}
				},
				Config: config,
				Check:  checkUserInEmulator(srv, "slow", true),
			},
		},
	})
}

// The API may commit a create after the provider stopped waiting for it.
// Past the timeout, the provider still looks for the user and adopts it:
// the apply succeeds with the one user in state, none orphaned. The create
// commits 0.2 s after the 1 s timeout; the provider looks for up to 5 s and
// stops as soon as the user appears, so the margin is seconds, not a
// scheduler's whim.
func TestAccServiceUser_createCommittedAfterTheTimeout(t *testing.T) {
	accPreCheck(t)
	srv := testEmulator(t)
	config := providerBlock(srv) + `
resource "ngrok_service_user" "ci" {
  name = "committed-late"
  timeouts {
    create = "1s"
  }
}
`
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: factoriesWith(func(p *ngrokProvider) { p.settleTime = 5 * time.Second }),
		CheckDestroy:             checkUserCount(srv, 0),
		Steps: []tfresource.TestStep{{
			PreConfig: func() {
				srv.AddFault(emulator.Fault{Method: "POST", Kind: emulator.FaultSlowCommit, Delay: 1200 * time.Millisecond, Times: 1})
			},
			Config: config,
			Check:  checkUserInEmulator(srv, "committed-late", true),
		}},
	})
}

// Every data source has a timeouts block whose read is checked to be
// positive, with the resources' default read timeout.
func TestDataSourceTimeoutsBlock(t *testing.T) {
	p := testProvider()
	for _, newDS := range p.DataSources(context.Background()) {
		ds := newDS()
		var meta datasource.MetadataResponse
		ds.Metadata(context.Background(), datasource.MetadataRequest{ProviderTypeName: "ngrok"}, &meta)
		var resp datasource.SchemaResponse
		ds.Schema(context.Background(), datasource.SchemaRequest{}, &resp)
		block, ok := resp.Schema.Blocks["timeouts"].(dsschema.SingleNestedBlock)
		if !ok {
			t.Errorf("%s: timeouts is a %T, want a SingleNestedBlock", meta.TypeName, resp.Schema.Blocks["timeouts"])
			continue
		}
		read, ok := block.Attributes["read"].(dsschema.StringAttribute)
		if !ok || len(block.Attributes) != 1 {
			t.Errorf("%s: timeouts has %v, want read alone", meta.TypeName, block.Attributes)
			continue
		}
		if got := validate(read.Validators[len(read.Validators)-1], "0s"); !strings.Contains(got, "default of "+defaultReadTimeout.String()) {
			t.Errorf(`%s: timeouts.read refuses "0s" with %q`, meta.TypeName, got)
		}
	}
}
