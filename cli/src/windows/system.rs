//! The computer's name, whether the process is elevated, and the WinHTTP proxy.

use windows_sys::Win32::Foundation::{CloseHandle, GlobalFree, HANDLE};
use windows_sys::Win32::Networking::WinHttp::{WinHttpGetDefaultProxyConfiguration, WINHTTP_ACCESS_TYPE_NAMED_PROXY, WINHTTP_PROXY_INFO};
use windows_sys::Win32::Security::{GetTokenInformation, TokenElevation, TOKEN_ELEVATION, TOKEN_QUERY};
use windows_sys::Win32::System::SystemInformation::{ComputerNameDnsHostname, GetComputerNameExW};
use windows_sys::Win32::System::Threading::{GetCurrentProcess, OpenProcessToken};

use crate::live::Proxy;

/// The computer's name as admins and their tools say it (`%COMPUTERNAME%`, the NetBIOS name
/// Configuration Manager and Intune show); the DNS host name when the variable is not set.
pub fn computer_name() -> String {
    if let Some(n) = std::env::var("COMPUTERNAME").ok().filter(|n| !n.trim().is_empty()) {
        return n;
    }
    let mut buf = [0u16; 256];
    let mut len = buf.len() as u32;
    // SAFETY: `buf` holds `len` UTF-16 units; the call writes at most that many and sets `len`.
    let ok = unsafe { GetComputerNameExW(ComputerNameDnsHostname, buf.as_mut_ptr(), &mut len) };
    if ok != 0 && len > 0 && (len as usize) <= buf.len() {
        return String::from_utf16_lossy(&buf[..len as usize]);
    }
    "this-machine".into()
}

/// Whether the process token is elevated (`None` when the token cannot be read).
pub fn elevated() -> Option<bool> {
    let mut token: HANDLE = std::ptr::null_mut();
    // SAFETY: the pseudo-handle of the current process; `token` receives a handle we close.
    if unsafe { OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &mut token) } == 0 {
        return None;
    }
    let mut elevation = TOKEN_ELEVATION { TokenIsElevated: 0 };
    let mut len = 0u32;
    // SAFETY: `elevation` is the TOKEN_ELEVATION the TokenElevation class writes, sized as said.
    let ok = unsafe {
        GetTokenInformation(
            token,
            TokenElevation,
            (&mut elevation as *mut TOKEN_ELEVATION).cast(),
            std::mem::size_of::<TOKEN_ELEVATION>() as u32,
            &mut len,
        )
    };
    // SAFETY: the handle OpenProcessToken gave us, closed once.
    unsafe { CloseHandle(token) };
    (ok != 0).then_some(elevation.TokenIsElevated != 0)
}

/// Read and free a string WinHTTP allocated with GlobalAlloc.
fn take_wide(p: *mut u16) -> Option<String> {
    if p.is_null() {
        return None;
    }
    // SAFETY: WinHTTP returns a NUL-terminated UTF-16 string; we read up to the NUL, then free
    // it with GlobalFree as its documentation says.
    let s = unsafe {
        let mut n = 0;
        while *p.add(n) != 0 {
            n += 1;
        }
        String::from_utf16_lossy(std::slice::from_raw_parts(p, n))
    };
    // SAFETY: allocated by WinHTTP with GlobalAlloc, freed once.
    unsafe { GlobalFree(p.cast()) };
    Some(s)
}

/// The default WinHTTP proxy (`netsh winhttp show proxy`): what the Windows Update service uses.
pub fn winhttp_proxy() -> Result<Proxy, String> {
    let mut info = WINHTTP_PROXY_INFO { dwAccessType: 0, lpszProxy: std::ptr::null_mut(), lpszProxyBypass: std::ptr::null_mut() };
    // SAFETY: `info` is the out structure the call fills; its strings are freed by take_wide.
    if unsafe { WinHttpGetDefaultProxyConfiguration(&mut info) } == 0 {
        return Err(std::io::Error::last_os_error().to_string());
    }
    let server = take_wide(info.lpszProxy);
    let bypass = take_wide(info.lpszProxyBypass);
    match server {
        Some(server) if info.dwAccessType == WINHTTP_ACCESS_TYPE_NAMED_PROXY && !server.is_empty() => {
            Ok(Proxy::Named { server, bypass: bypass.filter(|b| !b.is_empty()) })
        }
        _ => Ok(Proxy::Direct),
    }
}
