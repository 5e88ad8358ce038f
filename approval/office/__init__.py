"""The general office's portal administration: the catalog tree and the portal pages."""
