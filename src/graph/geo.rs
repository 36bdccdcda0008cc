//! Points on the globe and the distance filter of the projection (`--near LAT,LON --km N`).
//!
//! Distances are great-circle distances on a sphere of the Earth's mean radius (haversine
//! formula): within half a percent of the ellipsoidal distance, far below the uncertainty of
//! an event placed at its city's centre.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

use crate::knowledge::places::LatLon;
use crate::model::Location;

pub use crate::knowledge::places::EARTH_RADIUS_KM;

/// A position in decimal degrees, WGS 84: latitude in -90..=90, longitude in -180..=180.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct GeoPoint {
    pub lat: f64,
    pub lon: f64,
}

/// Why a point or a radius was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GeoError {
    #[error("{0:?} is not LAT,LON in decimal degrees (e.g. 50.45,30.52; south and west negative)")]
    NotAPoint(String),
    #[error("latitude {0} is outside -90..90")]
    Latitude(f64),
    #[error("longitude {0} is outside -180..180")]
    Longitude(f64),
    #[error("{0:?} is not a distance in kilometres greater than 0")]
    Radius(String),
}

impl GeoPoint {
    /// The point, if both coordinates are finite and in range.
    pub fn new(lat: f64, lon: f64) -> Result<Self, GeoError> {
        if !lat.is_finite() || !(-90.0..=90.0).contains(&lat) {
            return Err(GeoError::Latitude(lat));
        }
        if !lon.is_finite() || !(-180.0..=180.0).contains(&lon) {
            return Err(GeoError::Longitude(lon));
        }
        Ok(GeoPoint { lat, lon })
    }

    /// The point of an event's location: a city's, or a region's (its most populous
    /// place). A location known only as a country has none.
    pub fn of(location: &Location) -> Option<Self> {
        GeoPoint::new(location.lat?, location.lon?).ok()
    }

    /// Great-circle distance in kilometres ([`LatLon::distance_km`]).
    pub fn distance_km(self, other: GeoPoint) -> f64 {
        let at = |p: GeoPoint| LatLon {
            lat: p.lat,
            lon: p.lon,
        };
        at(self).distance_km(at(other))
    }
}

/// `LAT,LON`, decimal degrees, spaces allowed around the comma ("50.45, 30.52").
impl FromStr for GeoPoint {
    type Err = GeoError;

    fn from_str(s: &str) -> Result<Self, GeoError> {
        let bad = || GeoError::NotAPoint(s.to_string());
        let (lat, lon) = s.split_once(',').ok_or_else(bad)?;
        let number = |t: &str| -> Result<f64, GeoError> {
            let t = t.trim();
            // f64's parser also takes "inf" and "NaN", which are no coordinates.
            if t.is_empty()
                || !t
                    .bytes()
                    .all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b))
            {
                return Err(bad());
            }
            t.parse().map_err(|_| bad())
        };
        GeoPoint::new(number(lat)?, number(lon)?)
    }
}

impl fmt::Display for GeoPoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{},{}", self.lat, self.lon)
    }
}

/// A radius in kilometres as a user types it: a finite number greater than 0.
pub fn parse_km(s: &str) -> Result<f64, GeoError> {
    let km: f64 = s
        .trim()
        .parse()
        .map_err(|_| GeoError::Radius(s.to_string()))?;
    if km.is_finite() && km > 0.0 {
        Ok(km)
    } else {
        Err(GeoError::Radius(s.to_string()))
    }
}

/// Events whose location point lies within `km` of `centre` (the boundary included).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Near {
    pub centre: GeoPoint,
    pub km: f64,
}

impl Near {
    /// Checks what the fields alone cannot: both coordinates in range, a radius above 0.
    pub fn new(centre: GeoPoint, km: f64) -> Result<Self, GeoError> {
        let centre = GeoPoint::new(centre.lat, centre.lon)?;
        if !(km.is_finite() && km > 0.0) {
            return Err(GeoError::Radius(km.to_string()));
        }
        Ok(Near { centre, km })
    }

    pub fn contains(&self, p: GeoPoint) -> bool {
        self.centre.distance_km(p) <= self.km
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(lat: f64, lon: f64) -> GeoPoint {
        GeoPoint::new(lat, lon).expect("valid point")
    }

    /// Distances between city centres, against published great-circle figures (to 1%).
    #[test]
    fn haversine_on_known_city_pairs() {
        let kyiv = p(50.4547, 30.5238);
        let lviv = p(49.8397, 24.0297);
        let london = p(51.5074, -0.1278);
        let paris = p(48.8566, 2.3522);
        let new_york = p(40.7128, -74.0060);
        let sydney = p(-33.8688, 151.2093);
        let cases = [
            (kyiv, lviv, 468.0),
            (london, paris, 344.0),
            (london, new_york, 5570.0),
            (sydney, london, 16_994.0),
        ];
        for (a, b, km) in cases {
            let d = a.distance_km(b);
            assert!(
                (d - km).abs() / km < 0.01,
                "{a} to {b}: {d} km, expected {km}"
            );
            assert!((d - b.distance_km(a)).abs() < 1e-9, "symmetric");
        }
        assert_eq!(kyiv.distance_km(kyiv), 0.0);
    }

    #[test]
    fn distances_across_the_antimeridian_and_to_the_antipode() {
        // Two points a degree apart on the equator, either side of 180°.
        let d = p(0.0, 179.5).distance_km(p(0.0, -179.5));
        assert!((d - 111.2).abs() < 0.5, "{d}");
        // Pole to pole and a point to its antipode: half the circumference.
        let half = std::f64::consts::PI * EARTH_RADIUS_KM;
        assert!((p(90.0, 0.0).distance_km(p(-90.0, 0.0)) - half).abs() < 1e-3);
        assert!((p(10.0, 20.0).distance_km(p(-10.0, -160.0)) - half).abs() < 1e-3);
    }

    #[test]
    fn the_radius_includes_its_boundary() {
        let centre = p(0.0, 0.0);
        let one_degree = p(0.0, 1.0);
        let d = centre.distance_km(one_degree);
        assert!(Near::new(centre, d).expect("valid").contains(one_degree));
        assert!(!Near::new(centre, d - 0.001)
            .expect("valid")
            .contains(one_degree));
    }

    #[test]
    fn points_parse_as_lat_comma_lon() {
        assert_eq!("50.45,30.52".parse(), Ok(p(50.45, 30.52)));
        assert_eq!(" -33.92 , 18.42 ".parse(), Ok(p(-33.92, 18.42)));
        assert_eq!("90,180".parse(), Ok(p(90.0, 180.0)));
        assert_eq!("-90,-180".parse(), Ok(p(-90.0, -180.0)));
        assert_eq!("91,0".parse::<GeoPoint>(), Err(GeoError::Latitude(91.0)));
        assert_eq!(
            "0,180.5".parse::<GeoPoint>(),
            Err(GeoError::Longitude(180.5))
        );
        for bad in [
            "abc",
            "50.45",
            "50.45;30.52",
            ",30",
            "50,",
            "nan,0",
            "inf,0",
            "1,2,3",
        ] {
            assert_eq!(
                bad.parse::<GeoPoint>(),
                Err(GeoError::NotAPoint(bad.into())),
                "{bad}"
            );
        }
    }

    #[test]
    fn a_radius_is_a_positive_number_of_kilometres() {
        assert_eq!(parse_km("25"), Ok(25.0));
        assert_eq!(parse_km("0.5"), Ok(0.5));
        for bad in ["-3", "0", "abc", "", "inf", "NaN"] {
            assert_eq!(parse_km(bad), Err(GeoError::Radius(bad.into())), "{bad}");
        }
        assert!(Near::new(p(0.0, 0.0), -1.0).is_err());
        assert!(Near::new(
            GeoPoint {
                lat: 95.0,
                lon: 0.0
            },
            1.0
        )
        .is_err());
    }

    #[test]
    fn a_location_known_only_as_a_country_has_no_point() {
        let mut loc = Location {
            label: "Ukraine".into(),
            geonames_id: None,
            country: Some("UKR".into()),
            admin1: None,
            lat: None,
            lon: None,
            precision: crate::model::LocationPrecision::Country,
            from: crate::model::LocationSource::Sentence,
        };
        assert_eq!(GeoPoint::of(&loc), None);
        loc.lat = Some(49.98);
        loc.lon = Some(36.25);
        assert_eq!(GeoPoint::of(&loc), Some(p(49.98, 36.25)));
    }
}
