# Reports the same users, but as a warning: the plan still succeeds.
check "no_unmanaged_users" {
  assert {
    condition     = length(local.unmanaged) == 0
    error_message = local.unmanaged_message
  }
}
