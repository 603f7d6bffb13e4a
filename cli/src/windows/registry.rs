//! Registry keys read through the registry API (the `winreg` crate), the 64-bit view whatever
//! the process (policy keys written by Group Policy live there).

use std::io;

use winreg::enums::{HKEY_LOCAL_MACHINE, KEY_READ, KEY_WOW64_64KEY};
use winreg::RegKey;
use wsus_doctor_core::registry::RegData;

/// The values of `HKLM\<path>`, in the order the registry lists them; `Ok(None)` when the key
/// does not exist.
pub fn read_hklm(path: &str) -> io::Result<Option<Vec<(String, RegData)>>> {
    let key = match RegKey::predef(HKEY_LOCAL_MACHINE).open_subkey_with_flags(path, KEY_READ | KEY_WOW64_64KEY) {
        Ok(k) => k,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let mut out = Vec::new();
    for value in key.enum_values() {
        let (name, value) = value?;
        out.push((name, crate::live::reg_data(value.vtype.clone() as u32, &value.bytes)));
    }
    Ok(Some(out))
}
