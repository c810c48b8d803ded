# Nightly, on any Terraform or OpenTofu: exit code 1 means an identity exists
# that no configuration manages (or the plan failed otherwise), 2 that
# something drifted.
terraform plan -detailed-exitcode -input=false
