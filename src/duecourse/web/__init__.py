"""The borrower's pages and the JSON API, served by FastAPI (``duecourse serve``)."""
