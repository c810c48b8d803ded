// Package provider implements the ngrok Terraform provider on the Terraform
// Plugin Framework.
//
// # Where things are
//
// provider.go is the provider block (schema, Configure) and the list of the
// types it serves. Every managed resource runs resource_crud.go's lifecycle,
// identity.go's identity and import, timeouts.go's timeouts and
// model_codec.go's state structs; every type checks IDs with ids.go and
// reports API errors through diagnostics.go. Each Terraform type, with the
// files of its schema and lifecycle here, its API calls in internal/ngrok
// (ngrok/…) and its tests:
//
//	resources ngrok_service_user, ngrok_bot_user (one implementation; the bot user is deprecated)
//	  schema     user_resource.go, bot_user_resource.go, user_model.go, user_roles.go, validators.go
//	  lifecycle  user_resource.go, user_move_state.go, user_upgrade_state.go
//	  API        ngrok/users.go, ngrok/collection.go, ngrok/bulk.go, ngrok/reconcile.go
//	  tests      user_resource_test.go, user_resource_import_test.go, user_resource_identity_test.go,
//	             bot_user_resource_test.go, user_roles_test.go, user_model_test.go, user_move_state_test.go,
//	             user_upgrade_state_test.go, validators_test.go, identity_test.go, timeouts_test.go
//	resources ngrok_api_key, ngrok_authtoken, ngrok_ssh_credential (one implementation, a credentialKind each)
//	  schema     credential_schema.go, credential_kind.go, credential_model.go, credential_validators.go,
//	             ssh_public_key.go
//	  lifecycle  credential_resource.go, credential_rotation.go, credential_move_state.go
//	  API        ngrok/credentials.go, ngrok/owners.go, ngrok/collection.go, ngrok/bulk.go, ngrok/reconcile.go
//	  tests      credential_resource_test.go, credential_resource_owner_test.go,
//	             credential_resource_identity_test.go, credential_rotation_test.go, credential_model_test.go,
//	             credential_move_state_test.go, credential_validators_test.go, ssh_public_key_test.go,
//	             credential_kind_test.go, credential_schema_test.go
//	data sources ngrok_users, ngrok_service_user
//	  files      users_data_source.go, service_user_data_source.go, user_filter.go, cel_filter.go, user_model.go
//	  API        ngrok/users.go
//	  tests      users_data_source_test.go, service_user_data_source_test.go, user_filter_test.go,
//	             cel_filter_test.go
//	data sources ngrok_api_keys, ngrok_authtokens, ngrok_ssh_credentials
//	  files      credentials_data_source.go, credential_filter.go, cel_filter.go
//	  API        ngrok/credentials.go, ngrok/owners.go
//	  tests      credentials_data_source_test.go, credential_filter_test.go
//	ephemeral resources ngrok_api_key, ngrok_authtoken
//	  files      credential_ephemeral.go, ephemeral_lifetime.go (revoking what a run leaves open), serve.go
//	  API        ngrok/credentials.go, ngrok/leases.go
//	  tests      credential_ephemeral_test.go, ephemeral_lifetime_test.go
//	list resource ngrok_service_user
//	  files      user_list_resource.go, user_filter.go, cel_filter.go, list_results.go
//	  API        ngrok/users.go
//	  tests      user_list_resource_test.go, list_results_test.go
//	list resources ngrok_api_key, ngrok_authtoken, ngrok_ssh_credential
//	  files      credential_list_resource.go, credential_filter.go, cel_filter.go, list_results.go
//	  API        ngrok/credentials.go
//	  tests      credential_list_resource_test.go, credential_filter_test.go, list_results_test.go
//	the provider block
//	  files      provider.go, log.go, serve.go
//	  API        ngrok/client.go, ngrok/apikey.go, ngrok/baseurl.go, ngrok/pacer.go
//	  tests      provider_test.go, log_test.go, serve_test.go
//
// A file's tests are in the _test.go of its name; user_resource_test.go and
// credential_resource_test.go are split by concern, with a suffix
// (_import, _identity, _owner), to stay near 400 lines. The helpers they
// share are in helpers_test.go (the provider and emulator under test,
// checks), helpers_config_test.go (the configurations they apply),
// helpers_credentials_test.go, helpers_moves_test.go (moves, fixtures,
// examples), helpers_binary_test.go (the built provider under the real
// CLI) and helpers_crud_test.go (a resource's lifecycle called as the
// framework would, without terraform). Tests of a user's scenario across
// many files have files of their own:
//
//	adopt_test.go                  adopting what nobody manages with -generate-config-out, under the real CLI
//	contact_test.go                the API refusing the key or never answering: said once, and where it came from
//	faults_test.go                 every API fault on every operation of users and API keys; rate limits
//	faults_alike_test.go           a fault on one of two alike objects created side by side
//	guide_bot_users_test.go        the guide "From bot users to service users", as written
//	guide_ci_identity_test.go      the guide "A CI identity end to end", as written
//	guide_find_and_adopt_test.go   the guide "Find and adopt what nobody manages": terraform query and find.sh
//	guide_unmanaged_users_test.go  the same guide's plan that fails while an identity is unmanaged
//	interrupt_test.go              Ctrl-C while creates wait for the rate limit
//	peer_migration_test.go         the guide "Migrating from ngrok/ngrok" against v0.8 itself (opt-in: needs its binary)
//	readme_test.go                 the README's own-configuration steps, followed literally
//	refresh_test.go                refreshing many users and API keys from shared list pages
//	wrong_url_test.go              an api_base_url with a wrong path loses nothing
package provider
