"""Settings defaults, in a module light enough for the command line to import at start-up."""

# "Retry once or twice, then stop": soft bounces on this many distinct sends remove an address.
DEFAULT_SOFT_BOUNCE_LIMIT = 3
