"""The Map page: partners and practices on the bundled world map (see ``relay_app.geo``)."""
