"""`hiresim fit`: an applicant-tracking-system export (or hiresim's own event log) turned into a
scenario. `export` reads and checks the log, `estimate` fits each stage's delays and rates,
`scenario` writes the commented YAML. The model never imports this package."""
