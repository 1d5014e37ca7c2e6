"""Reading a data folder: the `inventory` of its files, their `digest` (statistics with
pandas), and the `cache` that ingests a folder once for all the runs of a batch."""
