"""Portal: the public pages (catalog, items, office pages), the general office's portal administration, and Atom feeds."""
