// Helpers shared by the credential tests: configurations, keys, and checks
// of what the emulator holds.
package provider

import (
	"fmt"
	"net/http"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/seed-66e0ccfd/terraform-provider-ngrok/internal/emulator"
)

const (
	apiKeyAddr    = "ngrok_api_key.ci"
	authtokenAddr = "ngrok_authtoken.ci"
	sshAddr       = "ngrok_ssh_credential.ci"
)

// credConfig is a service user "ci" and the given resources, for an emulator.
func credConfig(srv *emulator.Server, body string) string {
	return providerBlock(srv) + ciUser + body
}

// attrOf reads an attribute of a resource from state.
func attrOf(s *terraform.State, addr, name string) (string, error) {
	rs, ok := s.RootModule().Resources[addr]
	if !ok {
		return "", fmt.Errorf("%s is not in state", addr)
	}
	return rs.Primary.Attributes[name], nil
}

// apiStatusWith is the status of GET /service_users with token as the key.
func apiStatusWith(srv *emulator.Server, token string) (int, error) {
	req, err := http.NewRequest(http.MethodGet, srv.URL()+"/service_users?limit=1", nil)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Ngrok-Version", "2")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	_ = resp.Body.Close()
	return resp.StatusCode, nil
}

// checkTokenWorks checks that the API key in state works as an API key.
func checkTokenWorks(srv *emulator.Server, addr string, saved *string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		token, err := attrOf(s, addr, "token")
		if err != nil {
			return err
		}
		if token == "" {
			return fmt.Errorf("%s has no token in state", addr)
		}
		if saved != nil {
			*saved = token
		}
		status, err := apiStatusWith(srv, token)
		if err != nil || status != http.StatusOK {
			return fmt.Errorf("the API answered %d (%v) to the key's token, want 200", status, err)
		}
		return nil
	}
}

// checkCredentials checks that the emulator holds exactly n credentials of col.
func checkCredentials(srv *emulator.Server, col string, n int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := len(srv.Credentials(col)); got != n {
			return fmt.Errorf("%d %s, want exactly %d", got, col, n)
		}
		return nil
	}
}

// checkOwnedByUser checks that a credential's owner is the service user "ci".
func checkOwnedByUser(srv *emulator.Server, col, addr string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		id, _ := attrOf(s, addr, "id")
		user, _ := attrOf(s, "ngrok_service_user.ci", "id")
		c, ok := srv.GetCredential(col, id)
		if !ok {
			return fmt.Errorf("%s %s is in state but not in the emulator", col, id)
		}
		if c.OwnerID != user {
			return fmt.Errorf("%s is owned by %s, want the service user %s", id, c.OwnerID, user)
		}
		return nil
	}
}

const (
	testPublicKey      = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILIxORQifGeoj/u1AGDP1MyEbkMaUqvGTpfSCQCCW+hQ me@laptop"
	otherTestPublicKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ3Yc+NoowzFkvJNv+xwFbihzvTQeWlgKUi1eUTS451Y deploy@build-runner-03"
	// A private key's armour and a little of its body: enough to be refused.
	testPrivateKey = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n-----END OPENSSH PRIVATE KEY-----\n"
)
