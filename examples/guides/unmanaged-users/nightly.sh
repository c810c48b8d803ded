# Nightly: exit code 1 means a service user exists that no configuration
# manages (or the plan failed otherwise), 2 that something drifted.
terraform plan -detailed-exitcode -input=false
