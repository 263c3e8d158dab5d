"""Tenancy: what each tenant configures, checked, and what the pipeline does with it."""

# The tenant whose administrators run the install: they create the other tenants. Existing
# one-tenant installs are this tenant, with no configuration needed.
OPERATOR = "default"
