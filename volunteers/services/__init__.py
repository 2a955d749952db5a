"""Writes of the volunteers app, one module per use case. Every service is keyword-only, runs in
one transaction and records an audit entry in it."""
