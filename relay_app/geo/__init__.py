"""The map's core, without Qt: the bundled country shapes, the projection, markers clustered per
zoom level, great-circle distances and nearest neighbours, and practices grouped by area.

The window's Map page, the map exports and the command line all draw from here; the Qt side only
paints what these modules compute.
"""
