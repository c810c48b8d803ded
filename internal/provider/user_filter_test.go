package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/ngrok"
)

// The CEL filter is parenthesized on lines of its own and joined to the
// other terms with &&; only name and name_regex are quoted, as CEL strings.
func TestUserFilter_celFilter(t *testing.T) {
	for _, tc := range []struct {
		m    userFilter
		want string
	}{
		{userFilter{Name: types.StringNull(), NameRegex: types.StringNull(), Active: types.BoolNull(), Filter: types.StringNull()}, ""},
		{userFilter{Name: types.StringNull(), NameRegex: types.StringNull(), Active: types.BoolNull(), Filter: types.StringValue("obj.active // all active")},
			"(\nobj.active // all active\n)"},
		{userFilter{Name: types.StringValue(`a"b`), NameRegex: types.StringValue("^ci-"), Active: types.BoolValue(false), Filter: types.StringValue("x || y")},
			"(\nx || y\n) && obj.name == " + ngrok.CELString(`a"b`) + " && obj.name.matches(" + ngrok.CELString("^ci-") + ") && obj.active == false"},
	} {
		if got := tc.m.celFilter(); got != tc.want {
			t.Errorf("celFilter() = %q, want %q", got, tc.want)
		}
	}
}
