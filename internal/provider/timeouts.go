package provider

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"

	dstimeouts "github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// Default timeouts: long enough to ride out the rate limit of a large apply
// (requests queue for the shared pacer) and a burst of retries.
const (
	defaultCreateTimeout = 20 * time.Minute
	defaultReadTimeout   = 10 * time.Minute
	defaultUpdateTimeout = 20 * time.Minute
	defaultDeleteTimeout = 20 * time.Minute
)

// operation is one of the four a timeouts block bounds: its name there, its
// default, and its getter. Code names an operation by its variable, so a
// misspelt one does not compile.
type operation struct {
	name string
	def  time.Duration
	of   func(timeouts.Value) timeoutOf
}

var (
	opCreate = operation{"create", defaultCreateTimeout, func(t timeouts.Value) timeoutOf { return t.Create }}
	opRead   = operation{"read", defaultReadTimeout, func(t timeouts.Value) timeoutOf { return t.Read }}
	opUpdate = operation{"update", defaultUpdateTimeout, func(t timeouts.Value) timeoutOf { return t.Update }}
	opDelete = operation{"delete", defaultDeleteTimeout, func(t timeouts.Value) timeoutOf { return t.Delete }}

	operations = []operation{opCreate, opRead, opUpdate, opDelete}
)

// nullTimeouts is a resource's timeouts block when the configuration has
// none, as an import or a list leaves it.
func nullTimeouts() timeouts.Value {
	t := make(map[string]attr.Type, len(operations))
	for _, op := range operations {
		t[op.name] = types.StringType
	}
	return timeouts.Value{Object: types.ObjectNull(t)}
}

// operationNamed is the operation a timeouts block names name.
func operationNamed(name string) operation {
	for _, op := range operations {
		if op.name == name {
			return op
		}
	}
	return operation{name: name}
}

// timeoutsBlock is the library's timeouts block with every duration also
// required to be positive. The library accepts any duration that parses, so
// "0s" or "-5m" passed validate and plan and then failed the apply at once
// with "context deadline exceeded"; now they fail validation.
func timeoutsBlock(ctx context.Context) schema.Block {
	block := timeouts.Block(ctx, timeouts.Opts{Create: true, Read: true, Update: true, Delete: true})
	nested, ok := block.(schema.SingleNestedBlock)
	if !ok {
		// TestTimeoutsBlock_checksEveryOperation fails if the library changes shape.
		return block
	}
	attrs := make(map[string]schema.Attribute, len(nested.Attributes))
	for name, a := range nested.Attributes {
		if s, ok := a.(schema.StringAttribute); ok {
			// Clip: the library's attributes share one Validators array.
			s.Validators = append(slices.Clip(s.Validators), positiveDurationValidator(operationNamed(name).def))
			a = s
		}
		attrs[name] = a
	}
	nested.Attributes = attrs
	return nested
}

// dataSourceTimeoutsBlock is the library's timeouts block of a data source,
// read alone, with the read timeout also required to be positive, as
// timeoutsBlock does for resources.
func dataSourceTimeoutsBlock(ctx context.Context) dsschema.Block {
	block := dstimeouts.Block(ctx)
	nested, ok := block.(dsschema.SingleNestedBlock)
	if !ok {
		// TestDataSourceTimeoutsBlock fails if the library changes shape.
		return block
	}
	read, ok := nested.Attributes[opRead.name].(dsschema.StringAttribute)
	if !ok {
		return block
	}
	read.Validators = append(slices.Clip(read.Validators), positiveDurationValidator(opRead.def))
	nested.Attributes = map[string]dsschema.Attribute{opRead.name: read}
	return nested
}

// positiveDurationValidator refuses a duration of zero or less, and suggests
// removing it to use def, the default. What does not parse as a duration is
// left to the library's own validator.
func positiveDurationValidator(def time.Duration) validator.String {
	return stringCheck{
		description: `must be a positive duration such as "10m"`,
		summary:     "Invalid timeout",
		check: func(p path.Path, value string) string {
			if d, err := time.ParseDuration(value); err != nil || d > 0 {
				return ""
			}
			return fmt.Sprintf("%s is %s, which is not a positive duration: the operation would run out of time before it started. "+
				"Give a positive duration such as \"10m\", or remove it to use the default of %s.", p, quoteShort(value), def)
		},
	}
}

// withTimeout bounds an operation by its configured timeout, or by its
// default when none is set.
//
// Validation refuses a timeout of zero or less, but a state written before it
// did may still hold one, and read and delete take their timeouts from state:
// such a timeout would fail every refresh, even after the configuration is
// corrected, so def is used instead, with a warning.
func withTimeout(ctx context.Context, op operation, configured timeoutOf, diags *diag.Diagnostics) (context.Context, context.CancelFunc) {
	timeout, d := configured(ctx, op.def)
	diags.Append(d...)
	if timeout <= 0 {
		diags.AddAttributeWarning(path.Root("timeouts").AtName(op.name), "Timeout ignored",
			fmt.Sprintf("The %s timeout is %s, which is not a positive duration, so the default of %s was used instead. "+
				"Set timeouts.%s to a positive duration such as \"10m\", or remove it.", op.name, timeout, op.def, op.name))
		timeout = op.def
	}
	return context.WithTimeout(ctx, timeout)
}

// timeoutOf is the timeouts block's getter of one operation's timeout.
type timeoutOf = func(context.Context, time.Duration) (time.Duration, diag.Diagnostics)

// startWrite begins a create, update or delete of what ("the API key"): it
// fails at once while the provider's configuration is not known yet, and
// otherwise bounds the operation by its timeout (the default when none is
// set). The caller defers cancel and stops unless ok.
func (d *providerData) startWrite(ctx context.Context, op operation, what string, configured timeoutOf,
	diags *diag.Diagnostics) (_ context.Context, cancel context.CancelFunc, ok bool) {
	if !d.configured() {
		addNotConfigured(diags, op.name+" "+what)
		return ctx, func() {}, false
	}
	ctx, cancel = withTimeout(ctx, op, configured, diags)
	return ctx, cancel, !diags.HasError()
}
