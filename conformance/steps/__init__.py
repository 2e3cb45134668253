"""The step library: synchronous steps that talk to the implementation through the driver."""
