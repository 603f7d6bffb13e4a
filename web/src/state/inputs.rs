//! The evidence on the page: the pasted text, the added files, and what "Try an example" set
//! aside. Only transitions of the inputs themselves; runs are [`super::run`]'s.

use std::rc::Rc;

use web_sys::File;
use wsus_doctor_core::InputKind;

use crate::components::human_size;
use crate::examples::Example;

/// Files above this size are refused with a message, not read (the tab must never freeze).
pub const MAX_INPUT_BYTES: f64 = 1024.0 * 1024.0 * 1024.0;

/// Past this, the page suggests "Add files…": a textarea holding megabytes is slow to edit.
pub const BIG_PASTE: usize = 2 * 1024 * 1024;

/// The name the pasted text goes by (no file may take it).
pub const PASTE_NAME: &str = "pasted text";

/// Where an input's bytes live: a picked/dropped file (read by the worker in slices) or memory.
#[derive(Clone, Debug)]
pub enum Source {
    File(File),
    Bytes(Rc<Vec<u8>>),
}

#[derive(Clone, Debug)]
pub struct InputItem {
    /// Unique among the page's inputs: the folder-relative path of a dropped folder's file, or
    /// its name with ` (2)` when another input already has that name.
    pub name: String,
    /// The name it came with (before ` (2)`): with size and time, how a file added twice is known.
    pub origin: String,
    pub size: f64,
    pub source: Source,
    pub kind: Option<InputKind>,
}

/// Which input a chip action is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputRef {
    File(usize),
    Paste,
}

/// What a report was made from: when the page's inputs no longer match it, the report is
/// marked out of date instead of passing for a diagnosis of what is on screen.
#[derive(Clone, Debug, PartialEq)]
pub struct Basis {
    pub paste: String,
    pub paste_kind: Option<InputKind>,
    pub files: Vec<(String, Option<InputKind>)>,
}

/// The admin's own evidence, kept when "Try an example" replaces it, until they restore it.
#[derive(Clone, Debug)]
pub struct Saved {
    pub paste: String,
    pub paste_kind: Option<InputKind>,
    pub items: Vec<InputItem>,
}

#[derive(Clone, Debug, Default)]
pub struct Inputs {
    /// The text box's content (the box itself is not bound to it: see `App`).
    pub paste: String,
    /// Kind forced on the pasted text (`None`: detect).
    pub paste_kind: Option<InputKind>,
    pub items: Vec<InputItem>,
    pub saved: Option<Saved>,
}

/// What [`Inputs::add_files`] did not add: files already there, and files over the limit.
pub struct NotAdded {
    pub twice: Vec<String>,
    pub refused: Vec<String>,
}

impl Inputs {
    /// Nothing to diagnose: no file, and no pasted text but blanks.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty() && self.paste.trim().is_empty()
    }

    /// Add files under the names they are shown by; the same file again (same path, size and
    /// time) is flagged, not doubled, and a file over [`MAX_INPUT_BYTES`] is not kept. Linear in
    /// the number of files: a dropped folder of 10,000 alike names must not freeze the tab.
    pub fn add_files(&mut self, files: Vec<(File, String)>) -> NotAdded {
        let mut not = NotAdded { twice: Vec::new(), refused: Vec::new() };
        // no two inputs (nor a file and the paste) share a name
        let mut names = wsus_doctor_core::NameBook::default();
        names.claim(PASTE_NAME);
        let mut seen = std::collections::HashSet::new();
        for it in &self.items {
            names.claim(&it.name);
            if let Source::File(g) = &it.source {
                seen.insert((it.origin.clone(), g.size().to_bits(), g.last_modified().to_bits()));
            }
        }
        for (f, shown) in files {
            if !seen.insert((shown.clone(), f.size().to_bits(), f.last_modified().to_bits())) {
                not.twice.push(shown);
                continue;
            }
            if f.size() > MAX_INPUT_BYTES {
                // refused up front and not kept: it would block every later diagnosis
                not.refused.push(format!("{} is {}", f.name(), human_size(f.size())));
                continue;
            }
            let name = names.claim(&shown);
            self.items.push(InputItem { name, origin: shown, size: f.size(), source: Source::File(f), kind: None });
        }
        not
    }

    /// Drop one input (a file, or the pasted text and its forced kind).
    pub fn remove(&mut self, r: InputRef) {
        match r {
            InputRef::File(i) if i < self.items.len() => {
                self.items.remove(i);
            }
            InputRef::File(_) => {}
            InputRef::Paste => {
                self.paste.clear();
                self.paste_kind = None;
            }
        }
    }

    pub fn set_kind(&mut self, r: InputRef, k: Option<InputKind>) {
        match r {
            InputRef::File(i) => {
                if let Some(it) = self.items.get_mut(i) {
                    it.kind = k;
                }
            }
            InputRef::Paste => self.paste_kind = k,
        }
    }

    /// Replace the inputs by an example's files. The admin's own evidence (pasted text or real
    /// files) is set aside first, unless some already is; true when it was set aside now.
    pub fn use_example(&mut self, ex: &Example) -> bool {
        let own = !self.paste.trim().is_empty() || self.items.iter().any(|i| matches!(i.source, Source::File(_)));
        let set_aside = own && self.saved.is_none();
        if set_aside {
            self.saved = Some(Saved {
                paste: std::mem::take(&mut self.paste),
                paste_kind: self.paste_kind.take(),
                items: std::mem::take(&mut self.items),
            });
        }
        self.paste.clear();
        self.paste_kind = None;
        self.items = ex
            .files
            .iter()
            .map(|(name, bytes)| InputItem {
                name: (*name).to_string(),
                origin: (*name).to_string(),
                size: bytes.len() as f64,
                source: Source::Bytes(Rc::new(bytes.to_vec())),
                kind: None,
            })
            .collect();
        set_aside
    }

    /// Put back what [`Inputs::use_example`] set aside; false when nothing was.
    pub fn restore(&mut self) -> bool {
        let Some(saved) = self.saved.take() else { return false };
        self.paste = saved.paste;
        self.paste_kind = saved.paste_kind;
        self.items = saved.items;
        true
    }

    /// What a run started now would be made from.
    pub fn basis(&self) -> Basis {
        Basis {
            paste: self.paste.clone(),
            paste_kind: self.paste_kind,
            files: self.items.iter().map(|i| (i.name.clone(), i.kind)).collect(),
        }
    }

    /// Every input of a run: the files, then the pasted text unless it is blank.
    pub fn run_items(&self) -> Vec<InputItem> {
        let mut items = self.items.clone();
        if !self.paste.trim().is_empty() {
            items.push(InputItem {
                name: PASTE_NAME.into(),
                origin: PASTE_NAME.into(),
                size: self.paste.len() as f64,
                source: Source::Bytes(Rc::new(self.paste.clone().into_bytes())),
                kind: self.paste_kind,
            });
        }
        items
    }

    /// Where an input's bytes are, by the name evidence cites: a page input, or a member of a
    /// zip on the page (`bundle.zip/pc1/reg.txt`: the zip, and `pc1/reg.txt`).
    pub fn source_of(&self, name: &str) -> Option<(Source, Option<String>)> {
        if name == PASTE_NAME && !self.paste.is_empty() {
            return Some((Source::Bytes(Rc::new(self.paste.as_bytes().to_vec())), None));
        }
        if let Some(i) = self.items.iter().find(|i| i.name == name) {
            return Some((i.source.clone(), None));
        }
        self.items.iter().find_map(|i| {
            let member = name.strip_prefix(i.name.as_str())?.strip_prefix('/')?;
            Some((i.source.clone(), Some(member.to_string())))
        })
    }

    /// Chip position → input (files first, then the paste).
    pub fn input_ref(&self, i: usize) -> InputRef {
        if i < self.items.len() {
            InputRef::File(i)
        } else {
            InputRef::Paste
        }
    }
}
