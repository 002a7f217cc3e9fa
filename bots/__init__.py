"""Platform adapters, card renderers, escalation, server and command line."""
