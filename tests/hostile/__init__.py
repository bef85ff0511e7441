"""Hostile input: descriptions, requests, control-plane bodies, targets, profiles and state files
that try to make the tools read files, fetch URLs, hang, crash or leak."""
