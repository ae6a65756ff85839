"""The layer under every feature: pieces several features use (extensions, database wiring, the clock,
security headers, rate limiting, i18n, templating, the task queue, charts, anonymity of counts).
Nothing here imports a feature package (tests/test_architecture.py checks it)."""
