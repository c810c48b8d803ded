package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/ngrok"
)

// The emulator compiles filters with cel-go, as the API does; its refusal of
// the filter the provider sends is reported in terms of the filter the user
// wrote: its own lines and columns, its own text under the caret, and
// nothing about the parenthesis and terms the provider added.
func TestInFilterTerms(t *testing.T) {
	srv := testEmulator(t)
	client, err := ngrok.New(ngrok.Config{BaseURL: srv.URL(), APIKey: srv.APIKey(), Pacer: ngrok.NewPacer(0, 0)})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, filter string
		want         []string
	}{
		{"ends early", "obj.name ==", []string{
			"ERROR: filter line 1, column 12: the filter ends before the expression does: Syntax error: expecting {",
			"\n | obj.name ==\n | ...........^",
		}},
		{"bad token", "obj.name == 'a' ||| b", []string{
			"ERROR: filter line 1, column 19: Syntax error: token recognition error at: '| '\n | obj.name == 'a' ||| b\n | ..................^",
		}},
		{"second line", "obj.active &&\n  obj.nme == 'x'", []string{
			"filter line 2, column 6: undefined field 'nme'\n |   obj.nme == 'x'\n | .....^",
		}},
		{"own parenthesis", `obj.name == "é" && )`, []string{
			"filter line 1, column 20: Syntax error: mismatched input ')' expecting",
		}},
		{"unopened parenthesis", "obj.active)", []string{
			"filter line 1, column 12: the filter has a ')' that closes no '('\n | obj.active)\n | ...........^",
		}},
		{"unclosed parenthesis", "(obj.active", []string{
			"filter line 1, column 12: the filter ends before the expression does: Syntax error: missing ')'\n",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := userFilter{Name: types.StringNull(), NameRegex: types.StringValue("^ci"), Active: types.BoolValue(true), Filter: types.StringValue(tc.filter)}
			var listErr error
			for _, err := range client.Users(ngrok.ServiceUsers).List(t.Context(), ngrok.ListOptions{Filter: m.celFilter()}) {
				listErr = err
			}
			if !strings.Contains(listErr.Error(), "ERR_NGROK_230") {
				t.Fatalf("the emulator did not refuse %q: %v", tc.filter, listErr)
			}
			got := inFilterTerms(listErr, m.Filter).Error()
			for _, want := range tc.want {
				if !strings.Contains(got, want) {
					t.Errorf("%q\ndoes not contain\n%q", got, want)
				}
			}
			for _, never := range []string{"<input>", "obj.active == true", "matches(", "ERROR: \n", "\n\n"} {
				if strings.Contains(got, never) {
					t.Errorf("%q\ncontains %q, which the user did not write", got, never)
				}
			}
			if n := strings.Count(got, "ERROR: "); n != 1 {
				t.Errorf("%d errors in %q, want 1", n, got)
			}
		})
	}
}

// The API's reply is not ours to trust: a column of 0, or one past the end
// of the line (or of any integer), puts the caret at the line's edge rather
// than panic.
func TestMapCELPositions_OddColumns(t *testing.T) {
	for col, want := range map[string]string{
		"0":                    "ERROR: filter line 1, column 0: undefined field\n | a.b\n | ^",
		"99":                   "ERROR: filter line 1, column 99: undefined field\n | a.b\n | ...^",
		"999999999999999999":   "ERROR: filter line 1, column 999999999999999999: undefined field\n | a.b\n | ...^",
		"99999999999999999999": "ERROR: filter line 1, column 9223372036854775807: undefined field\n | a.b\n | ...^",
	} {
		if got := mapCELPositions("ERROR: <input>:2:"+col+": undefined field", "a.b"); got != want {
			t.Errorf("column %s: %q; want %q", col, got, want)
		}
	}
}

// celCheck refuses what would not compile, before any request, at the
// user's own line and column; what only ngrok can judge (obj's fields) it
// leaves to the API.
func TestCELCheck(t *testing.T) {
	for in, want := range map[string]string{
		`obj.name == "ci"`:             "",
		"obj.nme == 'x'":               "",
		"obj.name ==":                  "filter line 1, column 12: Syntax error",
		"obj.active &&\n  nme == 'x'":  "filter line 2, column 3: undeclared reference to 'nme'",
		`obj.description.startsWith("`: "filter line 1, column 28",
	} {
		got := celCheck(in)
		if (want == "") != (got == "") || !strings.Contains(got, want) {
			t.Errorf("celCheck(%q) = %q, want %q", in, got, want)
		}
	}
}

// checkFilter, which every data source and list resource with a filter
// runs at validation: an empty or uncompilable filter is refused on filter,
// once; one that compiles, or is not known yet, passes.
func TestCheckFilter(t *testing.T) {
	for _, tc := range []struct {
		filter  types.String
		summary string
	}{
		{types.StringNull(), ""},
		{types.StringUnknown(), ""},
		{types.StringValue("obj.active"), ""},
		{types.StringValue("obj.nme == 'x'"), ""}, // the API's to refuse
		{types.StringValue("  \n"), "Empty filter"},
		{types.StringValue("obj.name =="), "Invalid filter"},
	} {
		var diags diag.Diagnostics
		checkFilter(tc.filter, "user", "obj.active", &diags)
		switch {
		case tc.summary == "" && diags.HasError():
			t.Errorf("%s: %s; want no error", tc.filter, diagText(diags))
		case tc.summary != "" && (len(diags) != 1 || diags[0].Summary() != tc.summary || !errorPath(t, diags).Equal(path.Root("filter"))):
			t.Errorf("%s: %s; want one %q on filter", tc.filter, diagText(diags), tc.summary)
		}
	}
}
