"""The slow end-to-end tests: notebooks run, PDFs rendered, the batch run (make test-fast leaves them out)."""
