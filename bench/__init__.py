"""The connector's benchmark: `python -m bench --help`."""
