//! Sizes as people write them (`500MB`, `2GB`) and as notes show them.

/// Parse a size as people write it: `500MB`, `2GB`, `64KB`, `512M` or a byte count.
pub fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim().to_ascii_uppercase();
    let (num, mult) = if let Some(n) = t.strip_suffix("GB").or_else(|| t.strip_suffix('G')) {
        (n, 1u64 << 30)
    } else if let Some(n) = t.strip_suffix("MB").or_else(|| t.strip_suffix('M')) {
        (n, 1 << 20)
    } else if let Some(n) = t.strip_suffix("KB").or_else(|| t.strip_suffix('K')) {
        (n, 1 << 10)
    } else {
        (t.as_str(), 1)
    };
    num.trim().parse::<u64>().ok().and_then(|n| n.checked_mul(mult)).ok_or_else(|| format!("'{s}' is not a size like 500MB or 2GB"))
}

/// `1.5 GB`, `12 MB`, `300 KB`: for notes and messages.
pub fn human_bytes(n: u64) -> String {
    const MB: u64 = 1 << 20;
    if n >= 1 << 30 {
        format!("{:.1} GB", n as f64 / (1u64 << 30) as f64)
    } else if n >= MB {
        format!("{} MB", n / MB)
    } else {
        format!("{} KB", n / 1024)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_as_admins_write_them() {
        assert_eq!(parse_size("500MB"), Ok(500 << 20));
        assert_eq!(parse_size(" 2g "), Ok(2 << 30));
        assert_eq!(parse_size("64KB"), Ok(64 << 10));
        assert_eq!(parse_size("1234"), Ok(1234));
        assert!(parse_size("lots").is_err());
        assert!(parse_size("99999999999GB").is_err());
        assert_eq!(human_bytes(3 << 30), "3.0 GB");
        assert_eq!(human_bytes(5 << 20), "5 MB");
    }
}
