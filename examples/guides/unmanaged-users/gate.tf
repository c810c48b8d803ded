# Fails the plan while a service user exists that no configuration manages:
# a precondition that does not hold is an error.
resource "terraform_data" "no_unmanaged_users" {
  lifecycle {
    precondition {
      condition     = length(local.unmanaged) == 0
      error_message = local.unmanaged_message
    }
  }
}
