//! The user's own code over the generated client: a request built and checked, and a response
//! read, with no I/O.

use weather::operation::get_forecast::{GetForecast, GetForecastInput};

/// The forecast request for `city`, `days` ahead, for the service at `endpoint`.
pub fn forecast_request(
    city: &str,
    days: i32,
    endpoint: &str,
) -> Result<weather::http::Request<Vec<u8>>, String> {
    let input = GetForecastInput::builder()
        .city(city)
        .days(days)
        .build()
        .map_err(|e| e.to_string())?;
    GetForecast::build_request(&input, endpoint).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use weather::operation::get_forecast::GetForecastError;

    #[test]
    fn builds_checks_and_parses() {
        let request = forecast_request("Lisbon", 3, "https://weather.example.com").unwrap();
        assert_eq!(request.method(), "GET");
        assert_eq!(
            request.uri().to_string(),
            "https://weather.example.com/cities/Lisbon/forecast?days=3"
        );
        // Every violation at once: the city's pattern and the days' range.
        let err = forecast_request("42nd", 30, "https://weather.example.com").unwrap_err();
        assert!(err.contains("City") && err.contains("Days"), "{err}");

        let body =
            br#"{"City":"Lisbon","Days":[{"Date":1767225600,"Sky":"clear","HighCelsius":17.5}]}"#;
        let output = GetForecast::parse_response(200, &Default::default(), body).unwrap();
        assert_eq!(output.city(), "Lisbon");
        assert_eq!(output.days().map(<[_]>::len), Some(1));

        let mut headers = weather::http::HeaderMap::new();
        headers.insert("x-amzn-errortype", "NoSuchCity".parse().unwrap());
        let err = GetForecast::parse_response(404, &headers, br#"{"message":"no Atlantis"}"#)
            .unwrap_err();
        assert!(matches!(err, GetForecastError::NoSuchCity(_)), "{err:?}");
    }
}
