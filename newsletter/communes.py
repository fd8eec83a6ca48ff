"""A small table of communes with coordinates, for "within N km of a commune" subscriptions.

core.territories has no coordinates, so the newsletter ships its own table: the préfectures of
metropolitan départements and a few large towns (INSEE code -> name, latitude, longitude). A subscriber
whose commune is not listed picks the nearest one; extending the table is a data change only.
"""

import math

COMMUNES = {
    "01053": ("Bourg-en-Bresse", 46.2052, 5.2255),
    "06088": ("Nice", 43.7102, 7.2620),
    "07186": ("Privas", 44.7353, 4.5990),
    "11069": ("Carcassonne", 43.2130, 2.3491),
    "12202": ("Rodez", 44.3506, 2.5750),
    "13055": ("Marseille", 43.2965, 5.3698),
    "14118": ("Caen", 49.1829, -0.3707),
    "21231": ("Dijon", 47.3220, 5.0415),
    "22278": ("Saint-Brieuc", 48.5136, -2.7653),
    "25056": ("Besançon", 47.2378, 6.0241),
    "26362": ("Valence", 44.9334, 4.8924),
    "29019": ("Brest", 48.3904, -4.4861),
    "29232": ("Quimper", 47.9960, -4.1024),
    "30007": ("Alès", 44.1250, 4.0810),
    "30189": ("Nîmes", 43.8367, 4.3601),
    "31555": ("Toulouse", 43.6047, 1.4442),
    "33063": ("Bordeaux", 44.8378, -0.5792),
    "34172": ("Montpellier", 43.6108, 3.8767),
    "35238": ("Rennes", 48.1173, -1.6778),
    "37261": ("Tours", 47.3941, 0.6848),
    "38185": ("Grenoble", 45.1885, 5.7245),
    "42218": ("Saint-Étienne", 45.4397, 4.3872),
    "44109": ("Nantes", 47.2184, -1.5536),
    "45234": ("Orléans", 47.9030, 1.9093),
    "48095": ("Mende", 44.5181, 3.5007),
    "49007": ("Angers", 47.4784, -0.5632),
    "51454": ("Reims", 49.2583, 4.0317),
    "54395": ("Nancy", 48.6921, 6.1844),
    "56121": ("Lorient", 47.7483, -3.3700),
    "56260": ("Vannes", 47.6582, -2.7608),
    "57463": ("Metz", 49.1193, 6.1757),
    "59350": ("Lille", 50.6292, 3.0573),
    "63113": ("Clermont-Ferrand", 45.7772, 3.0870),
    "64445": ("Pau", 43.2951, -0.3708),
    "66136": ("Perpignan", 42.6887, 2.8948),
    "67482": ("Strasbourg", 48.5734, 7.7521),
    "69123": ("Lyon", 45.7640, 4.8357),
    "72181": ("Le Mans", 48.0061, 0.1996),
    "73065": ("Chambéry", 45.5646, 5.9178),
    "74010": ("Annecy", 45.8992, 6.1294),
    "75056": ("Paris", 48.8566, 2.3522),
    "76540": ("Rouen", 49.4432, 1.0999),
    "80021": ("Amiens", 49.8941, 2.2958),
    "81004": ("Albi", 43.9289, 2.1464),
    "83137": ("Toulon", 43.1242, 5.9280),
    "84007": ("Avignon", 43.9493, 4.8055),
    "86194": ("Poitiers", 46.5802, 0.3404),
    "87085": ("Limoges", 45.8336, 1.2611),
    "2A004": ("Ajaccio", 41.9192, 8.7386),
    "2B033": ("Bastia", 42.6970, 9.4503),
    "97411": ("Saint-Denis (La Réunion)", -20.8823, 55.4504),
}

EARTH_RADIUS_KM = 6371.0


def commune_choices() -> list[tuple[str, str]]:
    return sorted(
        ((code, f"{name} ({code[:2]})") for code, (name, *_rest) in COMMUNES.items()), key=lambda c: c[1]
    )


def coordinates(code: str) -> tuple[float, float] | None:
    entry = COMMUNES.get(code)
    return (entry[1], entry[2]) if entry else None


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))
