//! Events of sources WSUS Doctor does not read (other ETW providers in a trace, other sources
//! in an event log): counted, the first few named, so the notes say what was skipped.

/// Sources named one by one; the rest are counted together.
const NAMED: usize = 8;

#[derive(Debug, Default, Clone)]
pub struct ProviderCounts {
    pub total: u64,
    /// The first [`NAMED`] sources with their counts.
    pub named: Vec<(String, u64)>,
}

impl ProviderCounts {
    pub fn add(&mut self, name: &str) {
        self.total += 1;
        if let Some(e) = self.named.iter_mut().find(|(n, _)| n == name) {
            e.1 += 1;
        } else if self.named.len() < NAMED {
            self.named.push((name.chars().take(80).collect(), 1));
        }
    }

    /// `N event(s) of other providers were skipped: A (3), B (1), other providers (7)`.
    pub fn note(&self, notes: &mut Vec<String>) {
        if self.total == 0 {
            return;
        }
        let named: u64 = self.named.iter().map(|(_, n)| n).sum();
        let mut list: Vec<String> = self.named.iter().map(|(p, n)| format!("{p} ({n})")).collect();
        if named < self.total {
            list.push(format!("other providers ({})", self.total - named));
        }
        notes.push(format!("{} event(s) of other providers were skipped: {}", self.total, list.join(", ")));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_sources_are_named_the_rest_counted() {
        let mut c = ProviderCounts::default();
        for i in 0..12 {
            c.add(&format!("P{i}"));
        }
        c.add("P0");
        let mut notes = Vec::new();
        c.note(&mut notes);
        assert_eq!(notes, ["13 event(s) of other providers were skipped: P0 (2), P1 (1), P2 (1), P3 (1), P4 (1), P5 (1), P6 (1), P7 (1), other providers (4)"]);
    }
}
