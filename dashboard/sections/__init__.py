"""The dashboard's sections, one module per page of the app."""
