"""The modscreen command line and service composition (the engine itself lives in `worker`)."""
