"""The conformance kit: Gherkin suites and the step library that checks any implementation."""

# The step library's version (docs/steps.md): a step keeps its text, parameters and meaning
# within a major version; new steps raise the minor, changed or removed ones the major.
STEPS_VERSION = "1.1"
