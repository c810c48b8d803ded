package bench

import (
	"strings"
	"testing"
)

// queryLines is output of terraform query -json (Terraform 1.16), cut down.
const queryLines = `{"@level":"info","@message":"Terraform 1.16.4","@module":"terraform.ui","terraform":"1.16.4","type":"version","ui":"1.3"}
{"@level":"info","@message":"list.ngrok_service_user.all: Starting query...","list_start":{"address":"list.ngrok_service_user.all","resource_type":"ngrok_service_user"},"type":"list_start"}
{"@level":"info","@message":"list.ngrok_service_user.all: Result found","list_resource_found":{"address":"list.ngrok_service_user.all","display_name":"seeded-0003","identity":{"id":"service_3"},"identity_version":0,"resource_type":"ngrok_service_user","resource_object":{"active":true,"id":"service_3","name":"seeded-0003","timeouts":null}},"type":"list_resource_found"}
{"@level":"info","@message":"list.ngrok_service_user.all: Result found","list_resource_found":{"address":"list.ngrok_service_user.all","display_name":"seeded-0002","identity":{"id":"service_2"},"identity_version":0,"resource_type":"ngrok_service_user"},"type":"list_resource_found"}
{"@level":"info","@message":"list.ngrok_service_user.all: Result found","list_resource_found":{"address":"list.ngrok_service_user.all","display_name":"seeded-0001","identity":{"id":"service_1"},"identity_version":0,"resource_type":"ngrok_service_user"},"type":"list_resource_found"}
{"@level":"warn","@message":"Warning: Something to know","diagnostic":{"severity":"warning","summary":"Something to know","detail":""},"type":"diagnostic"}
{"@level":"info","@message":"list.ngrok_service_user.all: List complete","list_complete":{"address":"list.ngrok_service_user.all","resource_type":"ngrok_service_user","total":3},"type":"list_complete"}
`

func TestParseQueryOutput(t *testing.T) {
	o, err := ParseQueryOutput("a line of standard error\n" + queryLines)
	if err != nil {
		t.Fatal(err)
	}
	if o.Found != 3 || o.Completes != 1 || o.Total != 3 || len(o.Errors) != 0 {
		t.Errorf("ParseQueryOutput = %+v, want 3 found, 1 list_complete of 3, no error", o)
	}
	if err := o.Check(3); err != nil {
		t.Errorf("Check(3): %v", err)
	}
	for _, want := range []int{2, 4} {
		if err := o.Check(want); err == nil {
			t.Errorf("3 results pass Check(%d)", want)
		}
	}

	failed := `{"@level":"error","@message":"Error: Invalid name_regex","diagnostic":{"severity":"error","summary":"Invalid name_regex","detail":"\"(\" is not a regular expression."},"type":"diagnostic"}` + "\n"
	o, err = ParseQueryOutput(failed)
	if err != nil {
		t.Fatal(err)
	}
	if len(o.Errors) != 1 || o.Errors[0] != `Invalid name_regex: "(" is not a regular expression.` || o.Completes != 0 {
		t.Errorf("ParseQueryOutput of an error = %+v", o)
	}
	if err := o.Check(0); err == nil || !strings.Contains(err.Error(), "Invalid name_regex") || !strings.Contains(err.Error(), "0 list_complete messages") {
		t.Errorf("Check of an error: %v", err)
	}

	two := queryLines + strings.ReplaceAll(queryLines, ".all", ".other")
	if o, err := ParseQueryOutput(two); err != nil || o.Found != 6 || o.Completes != 2 || o.Total != 6 || o.Check(6) == nil {
		t.Errorf("two list blocks: %+v, %v; want 6 found, 2 list_complete, and Check to refuse them", o, err)
	}
	if _, err := ParseQueryOutput(queryLines + "{\"type\":\n"); err == nil || !strings.Contains(err.Error(), "line 8") {
		t.Errorf("a broken line: %v", err)
	}
}
