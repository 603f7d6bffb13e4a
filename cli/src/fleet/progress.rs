//! Progress on stderr (machines done, rate, time left), only on a terminal; and Ctrl-C, which
//! stops handing out machines so the run ends with what is done written.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

static STOP: AtomicBool = AtomicBool::new(false);

/// Whether Ctrl-C was pressed: no new machine is started.
pub fn stopped() -> bool {
    STOP.load(Ordering::Relaxed)
}

/// The first Ctrl-C asks for a clean stop (machines in hand finish, the output is completed);
/// a second one ends the process at once.
pub fn catch_ctrl_c() {
    let _ = ctrlc::set_handler(|| {
        if STOP.swap(true, Ordering::SeqCst) {
            std::process::exit(130);
        }
    });
}

/// A bar on a terminal; hidden otherwise (a pipe, a log file, CI).
pub fn bar(machines: u64) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(machines), ProgressDrawTarget::stderr_with_hz(4));
    let style = ProgressStyle::with_template("{bar:30} {pos}/{len} machines  {per_sec}  ETA {eta}  {msg}")
        .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar
}
