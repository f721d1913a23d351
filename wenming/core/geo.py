"""Coordinates. We store WGS-84 (what GPS and photo EXIF give). Chinese map
apps (高德/腾讯) show GCJ-02 and 百度 shows BD-09; both are converted here.

GCJ-02 is WGS-84 plus a published, smooth offset of a few hundred metres
applied inside mainland China only. It has no closed-form inverse, so
`gcj02_to_wgs84` iterates the forward transform until it lands within a
millimetre.
"""

import math

WGS84 = "wgs84"
GCJ02 = "gcj02"
BD09 = "bd09"
SYSTEMS = [
    (GCJ02, "GCJ-02（高德地图、腾讯地图、微信位置）"),
    (WGS84, "WGS-84（GPS、手机照片、天地图）"),
    (BD09, "BD-09（百度地图）"),
]

_A = 6378245.0  # Krasovsky 1940 semi-major axis, as the GCJ-02 offset uses
_EE = 0.00669342162296594323


def out_of_china(lat, lng):
    return not (73.66 < lng < 135.05 and 3.86 < lat < 53.55)


def _offset(lat, lng):
    x, y = lng - 105.0, lat - 35.0
    dlat = (-100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y
            + 0.2 * math.sqrt(abs(x)))
    dlat += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2 / 3
    dlat += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2 / 3
    dlat += (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2 / 3
    dlng = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    dlng += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2 / 3
    dlng += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2 / 3
    dlng += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2 / 3
    rad = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(rad) ** 2
    sqrt_magic = math.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrt_magic) * math.pi)
    dlng = (dlng * 180.0) / (_A / sqrt_magic * math.cos(rad) * math.pi)
    return dlat, dlng


def wgs84_to_gcj02(lat, lng):
    if out_of_china(lat, lng):
        return lat, lng
    dlat, dlng = _offset(lat, lng)
    return lat + dlat, lng + dlng


def gcj02_to_wgs84(lat, lng):
    if out_of_china(lat, lng):
        return lat, lng
    wlat, wlng = lat, lng
    for _ in range(30):
        glat, glng = wgs84_to_gcj02(wlat, wlng)
        dlat, dlng = glat - lat, glng - lng
        if abs(dlat) < 1e-9 and abs(dlng) < 1e-9:
            break
        wlat, wlng = wlat - dlat, wlng - dlng
    return wlat, wlng


_X_PI = math.pi * 3000.0 / 180.0


def bd09_to_gcj02(lat, lng):
    x, y = lng - 0.0065, lat - 0.006
    z = math.sqrt(x * x + y * y) - 0.00002 * math.sin(y * _X_PI)
    theta = math.atan2(y, x) - 0.000003 * math.cos(x * _X_PI)
    return z * math.sin(theta), z * math.cos(theta)


def to_wgs84(lat, lng, system):
    """(lat, lng) in `system` → WGS-84."""
    lat, lng = float(lat), float(lng)
    if system == WGS84:
        return lat, lng
    if system == GCJ02:
        return gcj02_to_wgs84(lat, lng)
    if system == BD09:
        return gcj02_to_wgs84(*bd09_to_gcj02(lat, lng))
    raise ValueError(f"unknown coordinate system {system!r}")


def distance_m(lat1, lng1, lat2, lng2):
    """Great-circle distance in metres."""
    r = 6371008.8
    p1, p2 = math.radians(float(lat1)), math.radians(float(lat2))
    dp, dl = p2 - p1, math.radians(float(lng2) - float(lng1))
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(h))


def check_lat_lng(lat, lng):
    """Plausible decimal degrees; a ValueError with a Chinese message otherwise."""
    lat, lng = float(lat), float(lng)
    if not (-90 <= lat <= 90):
        raise ValueError(f"纬度 {lat} 超出范围（-90～90）")
    if not (-180 <= lng <= 180):
        raise ValueError(f"经度 {lng} 超出范围（-180～180）")
    return lat, lng


BOUNDS_FORM = "南界纬度,西界经度,北界纬度,东界经度（WGS-84 度，如 33.4,114.4,33.8,114.9）"


def parse_bounds(bounds):
    """(south, west, north, east) from "south,west,north,east" degrees, or
    None when empty. ValueError, with a Chinese reason, when it is not four
    finite numbers making a box on the globe."""
    if not (bounds or "").strip():
        return None
    parts = [p.strip() for p in bounds.split(",")]
    if len(parts) != 4:
        raise ValueError(f"应为逗号分隔的四个数，写作 {BOUNDS_FORM}，现为 {len(parts)} 项")
    try:
        south, west, north, east = (float(p) for p in parts)
    except ValueError:
        raise ValueError(f"应为四个数，写作 {BOUNDS_FORM}") from None
    if not all(math.isfinite(v) for v in (south, west, north, east)):
        raise ValueError(f"应为四个有限的数，写作 {BOUNDS_FORM}")
    if not (-90 <= south < north <= 90 and -180 <= west < east <= 180):
        raise ValueError("南界纬度应小于北界纬度（-90 至 90），西界经度应小于东界经度（-180 至 180）")
    return south, west, north, east


def within(lat, lng, bounds=""):
    """Whether (lat, lng) lies in `bounds` ("south,west,north,east" degrees);
    without bounds, whether it lies in China. A malformed `bounds` is a
    configuration error reported by `manage.py check` (wenming.core.checks);
    a request is never failed for it: the China test applies instead."""
    try:
        box = parse_bounds(bounds)
    except ValueError:
        box = None
    if box is None:
        return not out_of_china(lat, lng)
    south, west, north, east = box
    return south <= lat <= north and west <= lng <= east
