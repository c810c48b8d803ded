# Reports the same identities, but as a warning: the plan still succeeds.
check "no_unmanaged_identities" {
  assert {
    condition     = length(local.unmanaged) == 0
    error_message = local.unmanaged_message
  }
}
