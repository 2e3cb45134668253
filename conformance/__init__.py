"""The conformance kit: Gherkin suites and the step library that checks any implementation."""
