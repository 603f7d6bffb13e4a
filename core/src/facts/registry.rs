//! Facts from the client's registry: policy and Automatic Updates values, keys seen or missing.

use std::collections::HashMap;

use super::{Seen, KEEP};
use crate::evidence::Evidence;
use crate::formats::registry::{key_role, role_of_value_name, KeyRole, RegData, RegValue};

/// What the registry evidence says.
#[derive(Debug, Default)]
pub struct RegistryFacts {
    pub keys: HashMap<KeyRole, Evidence>,
    pub missing_keys: HashMap<KeyRole, Evidence>,
    pub values: HashMap<(KeyRole, String), Seen<RegData>>,
    /// Unknown value names under the policy keys (misspellings like `WUSatusServer`).
    pub unknown_policy_names: Vec<Seen<String>>,
    /// `netsh winhttp show proxy`: the proxy (`None`: direct access), and its bypass list.
    pub winhttp_proxy: Option<Seen<Option<String>>>,
    pub winhttp_bypass: Option<Seen<String>>,
    /// Every SusClientId seen, with the input it came from (one per input; capped).
    pub client_ids: Vec<Seen<String>>,
    /// Inputs with a SusClientId past [`MAX_CLIENT_IDS`] (not compared).
    pub client_ids_cut: u64,
    /// Values of names no rule reads, past [`MAX_VALUES`]: counted, not kept.
    pub values_cut: u64,
}

pub use crate::caps::MAX_VALUES;

pub use crate::caps::MAX_CLIENT_IDS;

impl RegistryFacts {
    /// Registry value by key role and name (case-insensitive name).
    pub fn reg(&self, role: KeyRole, name: &str) -> Option<&Seen<RegData>> {
        self.values.get(&(role, name.to_ascii_lowercase()))
    }

    /// A registry key line (the key is covered by the evidence).
    pub fn observe_key(&mut self, input: &str, line: u64, raw: &str, key: &str) {
        let role = key_role(key);
        if role != KeyRole::Other {
            self.keys.entry(role).or_insert_with(|| Evidence::new(input, line, raw));
        }
    }

    pub fn observe_missing(&mut self, input: &str, line: u64, raw: &str, key: &str) {
        let role = key_role(key);
        if role != KeyRole::Other {
            self.missing_keys.entry(role).or_insert_with(|| Evidence::new(input, line, raw));
        }
    }

    pub fn observe_value(&mut self, input: &str, raw: &str, v: &RegValue) {
        let known = role_of_value_name(&v.name);
        let role = match key_role(&v.key) {
            KeyRole::Other if v.key.is_empty() => known.unwrap_or(KeyRole::Other),
            r => r,
        };
        if role == KeyRole::Other {
            return;
        }
        // built only where it is kept (past the value cap, most values keep nothing)
        let ev = || Evidence::new(input, v.line, raw);
        self.keys.entry(role).or_insert_with(ev);
        if matches!(role, KeyRole::Policy | KeyRole::PolicyAu) && known.is_none() && self.unknown_policy_names.len() < KEEP {
            self.unknown_policy_names.push(Seen { value: v.name.clone(), evidence: ev() });
        }
        if role == KeyRole::ClientIdentity && v.name.eq_ignore_ascii_case("SusClientId") {
            if let Some(id) = v.data.as_text().map(|t| t.trim().trim_matches(['{', '}']).to_ascii_uppercase()).filter(|t| !t.is_empty()) {
                if !self.client_ids.iter().any(|s| s.evidence.input == input) {
                    if self.client_ids.len() < MAX_CLIENT_IDS {
                        self.client_ids.push(Seen { value: id, evidence: ev() });
                    } else {
                        self.client_ids_cut += 1;
                    }
                }
            }
        }
        // a value given twice: the later one wins, as regedit would import it
        let k = (role, v.name.to_ascii_lowercase());
        if v.data == RegData::Deleted {
            self.values.remove(&k);
        } else if self.values.len() < MAX_VALUES || known.is_some() || self.values.contains_key(&k) {
            self.values.insert(k, Seen { value: v.data.clone(), evidence: ev() });
        } else {
            self.values_cut += 1;
        }
    }
}
