"""Slippy-map arithmetic (Web Mercator, 256 px tiles) so a map is drawn on
the server: which tiles of a configured tile server cover a box, where each
goes, and where a coordinate lands. The browser fetches the tiles itself
from that server; there is no map script and no CDN of ours.

Tile servers differ in datum: 天地图 and most self-hosted OSM servers draw
WGS-84, 高德/腾讯 tiles draw GCJ-02. Points are stored in WGS-84 and shifted
to the tiles' datum before projecting, or they would land hundreds of
metres off on a GCJ-02 base map."""

import math
from dataclasses import dataclass

from wenming.core import geo

TILE = 256
MAX_LAT = 85.05112878


def world_px(lat, lng, zoom):
    """(x, y) of a coordinate in pixels of the whole world at `zoom`."""
    size = TILE * 2 ** zoom
    lat = max(-MAX_LAT, min(MAX_LAT, float(lat)))
    x = (float(lng) + 180.0) / 360.0 * size
    s = math.sin(math.radians(lat))
    y = (0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)) * size
    return x, y


@dataclass
class Layout:
    zoom: int
    width: int
    height: int
    left: float  # world pixel at the box's left edge
    top: float
    datum: str
    tiles: list  # [(url, x, y)] in box pixels

    def place(self, lat, lng):
        """Box pixels of a WGS-84 coordinate."""
        if self.datum == geo.GCJ02:
            lat, lng = geo.wgs84_to_gcj02(float(lat), float(lng))
        x, y = world_px(lat, lng, self.zoom)
        return x - self.left, y - self.top


def layout(template, points, width, height, *, datum=geo.WGS84, pad=48, min_zoom=3,
           max_zoom=17):
    """The tiles of `template` (a URL with {z}, {x}, {y}) covering a
    width×height box that shows every WGS-84 point of `points` at the
    largest zoom where they fit inside the padding. None without points."""
    points = [(float(a), float(b)) for a, b in points]
    if not points:
        return None
    if datum == geo.GCJ02:
        shifted = [geo.wgs84_to_gcj02(a, b) for a, b in points]
    else:
        shifted = points
    zoom = min_zoom
    for z in range(max_zoom, min_zoom - 1, -1):
        xy = [world_px(a, b, z) for a, b in shifted]
        xs, ys = [p[0] for p in xy], [p[1] for p in xy]
        if max(xs) - min(xs) <= width - 2 * pad and max(ys) - min(ys) <= height - 2 * pad:
            zoom = z
            break
    xy = [world_px(a, b, zoom) for a, b in shifted]
    cx = (min(p[0] for p in xy) + max(p[0] for p in xy)) / 2
    cy = (min(p[1] for p in xy) + max(p[1] for p in xy)) / 2
    left, top = cx - width / 2, cy - height / 2
    n = 2 ** zoom
    tiles = []
    for ty in range(math.floor(top / TILE), math.floor((top + height - 1) / TILE) + 1):
        if not 0 <= ty < n:
            continue
        for tx in range(math.floor(left / TILE), math.floor((left + width - 1) / TILE) + 1):
            url = (template.replace("{z}", str(zoom)).replace("{x}", str(tx % n))
                   .replace("{y}", str(ty)))
            tiles.append((url, tx * TILE - left, ty * TILE - top))
    return Layout(zoom, width, height, left, top, datum, tiles)


def allow_tiles(response, template):
    """Let the page's CSP load images from the tile server (only the pages
    that draw the map, only that server)."""
    from urllib.parse import urlsplit

    parts = urlsplit(template.split("{", 1)[0])
    if parts.scheme in ("http", "https") and parts.netloc:
        response._csp_update = {"img-src": [f"{parts.scheme}://{parts.netloc}"]}
    return response
