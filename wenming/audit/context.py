"""Per-request facts that services record without every view passing them."""

import contextvars

client_ip = contextvars.ContextVar("client_ip", default=None)
