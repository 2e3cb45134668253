"""Test modules that bind the packaged feature files; the CLI and tox run them."""
