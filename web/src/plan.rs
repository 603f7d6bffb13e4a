//! The worker's side of planning a run: which machines the inputs hold, before any is read
//! (a zip's directory only). The page opens the fleet view when there are many.

use std::collections::HashMap;

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
pub struct Planner {
    names: Vec<String>,
    members: HashMap<usize, Vec<String>>,
}

#[wasm_bindgen]
impl Planner {
    #[wasm_bindgen(constructor)]
    pub fn new(names: Vec<String>) -> Planner {
        Planner { names, members: HashMap::new() }
    }

    /// The bytes of input `index`, a zip: its members' names are read from its directory.
    pub fn add_zip(&mut self, index: usize, bytes: &[u8]) {
        self.members.insert(index, wsus_doctor_core::archive::member_names(bytes));
    }

    /// The machines' names, as a JSON array.
    pub fn machines_json(&self) -> String {
        let names: Vec<&str> = self.names.iter().map(String::as_str).collect();
        serde_json::to_string(&wsus_doctor_core::machines::plan(&names, &self.members)).unwrap_or_else(|_| "[]".into())
    }
}
