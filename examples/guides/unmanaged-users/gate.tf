# Fails the plan while an identity exists that no configuration manages: a
# precondition that does not hold is an error.
resource "terraform_data" "no_unmanaged_identities" {
  lifecycle {
    precondition {
      condition     = length(local.unmanaged) == 0
      error_message = local.unmanaged_message
    }
  }
}
