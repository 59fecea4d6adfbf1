"""One router per resource; each is thin: parse, call a function, return its result."""
