"""Positions and road distances.

Road distance is great-circle distance times a detour factor of 1.3 (the proxy suggested
with the banner table in the project's data notes); travel time is distance over a speed.
"""

from __future__ import annotations

import numpy as np

EARTH_RADIUS_KM = 6371.0
ROAD_FACTOR = 1.3
KM_PER_DEG_LAT = 111.2


def road_km(lat1, lon1, lat2, lon2) -> np.ndarray:
    """Road-distance proxy in km between points given in degrees (vectorised)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi = p2 - p1
    dlmb = np.radians(np.asarray(lon2) - np.asarray(lon1))
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return ROAD_FACTOR * 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def scatter(
    rng: np.random.Generator, lat: float, lon: float, radius_km: float, n: int
) -> tuple[np.ndarray, np.ndarray]:
    """``n`` points uniform in a disc of ``radius_km`` around (lat, lon)."""
    r = radius_km * np.sqrt(rng.random(n))
    theta = rng.random(n) * 2 * np.pi
    dlat = r * np.sin(theta) / KM_PER_DEG_LAT
    dlon = r * np.cos(theta) / (KM_PER_DEG_LAT * np.cos(np.radians(lat)))
    return lat + dlat, lon + dlon


def travel_days(km: np.ndarray, speed_kmh: np.ndarray, hours_per_day: float = 8.0) -> np.ndarray:
    """Travel time in (working) days for a distance at a speed: one working day is 8 hours."""
    return np.asarray(km, dtype=float) / (np.asarray(speed_kmh, dtype=float) * hours_per_day)
