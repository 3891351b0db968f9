"""HTTP starters: validate the request, start orchestrations, report on runs."""
