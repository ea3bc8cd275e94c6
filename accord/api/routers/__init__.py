"""One router per area; each handler parses, calls one service function, shapes the result."""
