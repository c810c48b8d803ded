# Nightly: exit code 2 means something drifted or a credential is due for
# rotation; the plan names which.
terraform plan -detailed-exitcode -input=false
