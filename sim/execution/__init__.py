"""Running scenarios: cells x replications on a backend (`runner`), and the results folder
(`output`, the only writer of files)."""
