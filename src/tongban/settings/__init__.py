"""Settings: ``base`` reads every environment variable once; ``test`` only tweaks it for pytest."""
