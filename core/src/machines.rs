//! One machine per diagnosis. Two clients' files in one report would mix their facts (pc2's
//! WUServer next to pc1's error), so when the inputs come from several machines' folders each
//! machine is diagnosed apart. The shared inputs (in no machine's folder), the WSUS server's logs
//! typically, are read once and their facts given to every machine's diagnosis (rules compare a client
//! with its server); the reports are then merged, client findings labelled with their machine
//! and server findings said once.
//!
//! A machine is found as the fleet's discovery finds one (`wsus-doctor fleet`, which uses the
//! same name rules: [`is_client_evidence_name`], [`is_windows_folder`]), from the inputs' names
//! alone: the deepest folder below the inputs' common one that holds a client's evidence by name
//! (a WindowsUpdate.log, an ETL trace, an event log, a registry export) or a Windows folder
//! (`Windows/Logs/...`, `SoftwareDistribution`, a drive copied as `C/Windows/...`), with
//! everything under it its own (its Windows folders, a folder of screenshots); the folders above
//! it are collection folders at any depth: `share/siteA/pc1/WindowsUpdate.log`,
//! `share/siteA/pc2/C/Windows/Logs/WindowsUpdate/x.etl` and `share/pc3/WindowsUpdate.log` are
//! `pc1`, `pc2` and `pc3`. A folder of files its names do not tell, with no folder under it
//! (`pc4/reg-query.txt`), is a machine too, as is a zip (`collect/pc1.zip` is machine `pc1`) and a
//! folder holding only one zip (`pc5/collect.zip` is `pc5`). Inputs in no machine's folder
//! (`share/u_ex251020.log`) are shared. Two machine folders of one name in different places are
//! named by their path (`siteA/pc5`, `siteB/pc5`). A zip's members are split the same way when it
//! is opened: a zip holding machines' folders gives each machine its members, and its members in
//! no machine's folder go to every machine. A machine's diagnosis begins at its first input, from
//! the facts of the shared inputs read by then; a shared input read later is read by the machines
//! begun before it too, so callers add the shared inputs first (see [`reading_order`]).

use std::collections::{BTreeSet, HashMap};

use crate::analysis::{Analysis, InputId, Limits};
use crate::kind::InputKind;
use crate::report::{CheckStatus, Report};
use crate::timeline::Side;

/// Each input's machine (`None`: shared), given all the inputs' names. Fewer than two
/// machines: all `None`.
pub fn machines_of(names: &[&str]) -> Vec<Option<String>> {
    let machine = folders_of(names);
    let distinct: BTreeSet<&String> = machine.iter().flatten().collect();
    // past the cap each machine's copy of the shared facts would add up: diagnose them as one (said)
    if distinct.len() < 2 || distinct.len() > MAX_MACHINES {
        return vec![None; names.len()];
    }
    machine
}

/// Whether this input is a zip bundle by its name (what the plan can know before reading).
pub fn is_zip_name(name: &str) -> bool {
    name.len() >= 4 && name.is_char_boundary(name.len() - 4) && name[name.len() - 4..].eq_ignore_ascii_case(".zip")
}

/// The order to add inputs in, each group in the given order: the shared inputs first (read once,
/// before any machine's diagnosis begins from their facts), then zips outside machine folders
/// (shared, or holding machines' folders), then the machines' zips and files.
pub fn reading_order(names: &[&str]) -> Vec<usize> {
    let machine = machines_of(names);
    let rank = |i: usize| match (machine[i].is_some(), is_zip_name(names[i])) {
        (false, false) => 0,
        (false, true) => 1,
        (true, true) => 2,
        (true, false) => 3,
    };
    let mut order: Vec<usize> = (0..names.len()).collect();
    order.sort_by_key(|&i| rank(i));
    order
}

/// The share (of `n`) machine `name` is diagnosed in: FNV-1a of its name, stable everywhere.
pub fn share_of(name: &str, n: u32) -> u32 {
    let h = name.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    (h % u64::from(n.max(1))) as u32
}

/// The machines [`MachineAnalysis`] will diagnose apart, before reading: `names` as for
/// [`MachineAnalysis::new`], `members` each zip's member names (see
/// [`crate::archive::member_names`]), by the zip's index in `names`.
pub fn plan(names: &[&str], members: &HashMap<usize, Vec<String>>) -> Vec<String> {
    let outer = machines_of(names);
    let mut out: BTreeSet<String> = BTreeSet::new();
    for (i, own) in outer.into_iter().enumerate() {
        let inner = members.get(&i).map(|m| machines_of(&m.iter().map(String::as_str).collect::<Vec<_>>())).unwrap_or_default();
        if inner.iter().any(Option::is_some) {
            out.extend(inner.into_iter().flatten());
        } else {
            out.extend(own);
        }
    }
    out.into_iter().collect()
}

/// Each input's machine folder by the rule of the module's doc (`None`: shared), before the
/// checks of [`machines_of`]: the machine's name is its folder's (a zip's without `.zip`), or,
/// when two machine folders are alike in name, its path below the inputs' common folder.
fn folders_of(names: &[&str]) -> Vec<Option<String>> {
    let tree = Tree::of(names);
    let owner = tree.owners();
    // one machine per folder name (a machine's folder and its zip beside it, `pc1/` and
    // `pc1.zip`, are one, as they always were)
    let stem = |n: usize| {
        let name = tree.nodes[n].name;
        if tree.nodes[n].zip && is_zip_name(name) {
            &name[..name.len() - 4]
        } else {
            name
        }
    };
    let mut key_of: HashMap<(usize, &str), usize> = HashMap::new();
    let mut keys: Vec<usize> = Vec::new(); // key -> its first machine node
    let mut node_key: Vec<usize> = vec![usize::MAX; tree.nodes.len()];
    for n in (0..tree.nodes.len()).filter(|&n| owner[n] == Some(n)) {
        node_key[n] = *key_of.entry((tree.nodes[n].parent, stem(n))).or_insert_with(|| {
            keys.push(n);
            keys.len() - 1
        });
    }
    let mut alike: HashMap<String, usize> = HashMap::new();
    for &n in &keys {
        *alike.entry(stem(n).to_lowercase()).or_default() += 1;
    }
    let shown: Vec<String> = keys
        .iter()
        .map(|&n| match alike.get(&stem(n).to_lowercase()) {
            Some(&k) if k > 1 => tree.path_below_common(n, stem(n)),
            _ => stem(n).to_string(),
        })
        .collect();
    // (the common folder a machine: every input is its, nothing to split)
    tree.input_node.iter().map(|&n| owner[n].filter(|&m| m > 0).and_then(|m| shown.get(node_key[m])).cloned()).collect()
}

/// One folder (or zip) below the inputs' common folder, and what its names say it holds.
#[derive(Default)]
struct Node<'a> {
    name: &'a str,
    parent: usize,
    /// A zip given as an input (a folder of unknown members).
    zip: bool,
    /// Part of a Windows machine's own layout (`Logs`, `C`, `Logs.zip`): its parent's.
    layout: bool,
    /// Child folders that are not layout folders, and zips that can be machines.
    folders: u32,
    zips: u32,
    /// Files directly in it: how many, whether one is a client's evidence by name, whether one
    /// is neither a client's nor the server's.
    files: u32,
    client: bool,
    other: bool,
    /// A child is a Windows layout folder.
    layout_child: bool,
}

/// The inputs' folders below their common folder (node 0), children always after their parent.
struct Tree<'a> {
    nodes: Vec<Node<'a>>,
    /// Each input's node: a file's folder, or the zip itself.
    input_node: Vec<usize>,
}

impl<'a> Tree<'a> {
    fn of(names: &[&'a str]) -> Self {
        // an input's folders (a zip counts as a folder: its members sit inside it) and file name
        let split = |name: &'a str, into: &mut Vec<&'a str>| -> Option<&'a str> {
            into.clear();
            into.extend(name.split(['/', '\\']));
            if is_zip_name(name) {
                None
            } else {
                into.pop()
            }
        };
        let mut buf = Vec::new();
        let mut common: Option<Vec<&str>> = None;
        for &n in names {
            split(n, &mut buf);
            match &mut common {
                None => common = Some(buf.clone()),
                Some(c) => c.truncate(c.iter().zip(&buf).take_while(|(x, y)| x == y).count()),
            }
        }
        let common = common.map_or(0, |c| c.len());
        let mut nodes = vec![Node::default()];
        let mut child: HashMap<(usize, &str), usize> = HashMap::new();
        let mut input_node = Vec::with_capacity(names.len());
        // the previous input's folders and their nodes: a folder walk lists a folder's files
        // together, so most inputs look nothing up
        let (mut prev, mut path): (Vec<&str>, Vec<usize>) = (Vec::new(), Vec::new());
        for &name in names {
            let zip = is_zip_name(name);
            let file = split(name, &mut buf);
            let own = &buf[common.min(buf.len())..];
            let same = own.iter().zip(&prev).take_while(|(x, y)| x == y).count();
            path.truncate(same);
            let mut at = path.last().copied().unwrap_or(0);
            for (k, &c) in own.iter().enumerate().skip(same) {
                let is_zip = zip && k + 1 == own.len();
                at = match child.get(&(at, c)) {
                    Some(&n) => n,
                    None => {
                        let stem = if is_zip { &c[..c.len() - 4] } else { c };
                        let layout = is_windows_folder(stem);
                        let parent = &mut nodes[at];
                        if layout {
                            parent.layout_child = true;
                        } else if !is_zip {
                            parent.folders += 1;
                        } else if !is_server_folder(stem) {
                            parent.zips += 1;
                        }
                        nodes.push(Node { name: c, parent: at, zip: is_zip, layout, ..Node::default() });
                        child.insert((at, c), nodes.len() - 1);
                        nodes.len() - 1
                    }
                };
                path.push(at);
            }
            prev.clear();
            prev.extend_from_slice(own);
            if let Some(file) = file {
                let n = &mut nodes[at];
                n.files += 1;
                if is_client_evidence_name(file) {
                    n.client = true;
                } else if !is_server_file_name(file) {
                    n.other = true;
                }
            }
            input_node.push(at);
        }
        Tree { nodes, input_node }
    }

    /// Each node's machine (the node whose folder it is in, itself included), as the fleet's
    /// discovery finds them: the deepest folder holding a client's evidence or a Windows layout
    /// takes everything under it; a folder of a single zip is that zip's machine; a zip elsewhere
    /// is a machine; a folder with files nothing names, and nothing under it, is a machine too.
    fn owners(&self) -> Vec<Option<usize>> {
        let n = self.nodes.len();
        let mut machine = vec![false; n];
        // a machine resting on evidence (or a zip) is under it
        let mut below = vec![false; n];
        // children first (they come after their parent)
        for i in (0..n).rev() {
            let x = &self.nodes[i];
            // below the common folder, a name that is a Windows folder, the server's or no name
            // at all is never a machine's (the common folder's own name is not looked at)
            let named = i == 0 || !(x.layout || matches!(x.name, "" | "." | ".."));
            let anyone = i == 0 || (named && !is_server_folder(x.name));
            let (is, evidence) = if x.zip {
                (anyone && !is_server_folder(&x.name[..x.name.len().saturating_sub(4)]), true)
            } else if (x.client || x.layout_child) && !below[i] {
                (named, true)
            } else if x.folders == 0 && x.files == 0 && x.zips == 1 && !x.layout_child {
                (i > 0 && anyone, true)
            } else if x.folders == 0 && x.zips == 0 && x.other {
                (anyone, false)
            } else {
                (false, below[i] || x.zips > 0)
            };
            machine[i] = is;
            if i > 0 && !x.layout && !x.zip && evidence {
                below[x.parent] = true;
            }
        }
        // parents first: a machine's folder takes everything under it; nothing in a Windows
        // folder beside machines is a machine
        let mut owner: Vec<Option<usize>> = vec![None; n];
        let mut inside_layout = vec![false; n];
        for i in 0..n {
            let p = self.nodes[i].parent;
            let (up, blocked) = if i == 0 { (None, false) } else { (owner[p], inside_layout[p]) };
            owner[i] = up.or((!blocked && machine[i]).then_some(i));
            inside_layout[i] = blocked || self.nodes[i].layout;
        }
        owner
    }

    /// Node `n`'s path below the common folder, its own name given as `last`.
    fn path_below_common(&self, mut n: usize, last: &str) -> String {
        let mut up = vec![last];
        n = self.nodes[n].parent;
        while n != 0 {
            up.push(self.nodes[n].name);
            n = self.nodes[n].parent;
        }
        up.reverse();
        up.join("/")
    }
}

/// Machines diagnosed apart in one run (each begins from a copy of the shared facts); more
/// machine folders are read as one, with a note.
pub const MAX_MACHINES: usize = 10_000;

/// A file name that is a client's evidence whatever it holds: binary traces and event logs,
/// registry exports, `WindowsUpdate*.log`, `ReportingEvents.log`, a `collect` manifest. A folder
/// holding one is a machine's (here and in the fleet's discovery, which also looks at content).
pub fn is_client_evidence_name(file: &str) -> bool {
    let name = file.rsplit(['/', '\\']).next().unwrap_or(file);
    let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
    ["etl", "evtx", "evt", "reg"].iter().any(|e| e.eq_ignore_ascii_case(ext))
        || (starts_with_ci(name, "windowsupdate") && ext.eq_ignore_ascii_case("log"))
        || name.eq_ignore_ascii_case("reportingevents.log")
        || name.eq_ignore_ascii_case("manifest.json")
}

/// Folders of a Windows client's own layout (a collection copied with its paths): a folder
/// holding one is a machine's, and it is never a machine's name. A drive copied with its paths
/// (`C/Windows/...`, `C$`, `C_`) is one too.
pub fn is_windows_folder(name: &str) -> bool {
    const LAYOUT: &[&str] = &[
        "logs",
        "windowsupdate",
        "softwaredistribution",
        "datastore",
        "windows",
        "system32",
        "winevt",
        "ccm",
        "temp",
        "cbs",
        "panther",
        "registry",
        "reg",
        "events",
        "eventlogs",
        "programdata",
    ];
    let drive = matches!(name.as_bytes(), [d] | [d, b'$' | b'_'] if d.is_ascii_alphabetic());
    drive || LAYOUT.iter().any(|l| l.eq_ignore_ascii_case(name))
}

/// The WSUS server's folders (IIS logs, the WSUS install) and cabinets: never a machine's name;
/// unlike [`is_windows_folder`], they sit beside machines, not in one.
fn is_server_folder(name: &str) -> bool {
    const SERVER: &[&str] = &["logfiles", "httperr", "inetpub", "update services", "program files", "iis", "server", "wsus"];
    SERVER.iter().any(|l| l.eq_ignore_ascii_case(name)) || starts_with_ci(name, "w3svc") || ends_with_ci(name, ".cab")
}

/// The WSUS server's logs by their usual names (`u_ex251020.log`, `ex091214.log`,
/// `httperr1.log`, `SoftwareDistribution.log`, `applicationHost.config`): a folder of only these
/// is not a machine's.
fn is_server_file_name(file: &str) -> bool {
    let iis = ["u_ex", "u_in", "u_nc", "httperr"].iter().any(|p| starts_with_ci(file, p))
        || (starts_with_ci(file, "ex") && file.as_bytes().get(2).is_some_and(u8::is_ascii_digit));
    (iis && ends_with_ci(file, ".log"))
        || file.eq_ignore_ascii_case("softwaredistribution.log")
        || (starts_with_ci(file, "applicationhost") && ends_with_ci(file, ".config"))
}

fn starts_with_ci(s: &str, prefix: &str) -> bool {
    s.as_bytes().get(..prefix.len()).is_some_and(|h| h.eq_ignore_ascii_case(prefix.as_bytes()))
}

fn ends_with_ci(s: &str, suffix: &str) -> bool {
    s.len().checked_sub(suffix.len()).and_then(|i| s.as_bytes().get(i..)).is_some_and(|t| t.eq_ignore_ascii_case(suffix.as_bytes()))
}

/// Where an added input's bytes go.
enum Route {
    /// A loose input or a zip's member: its id in the shared analysis (a shared input) and in the
    /// machines' analyses that read it themselves.
    Read { shared: Option<InputId>, machines: Vec<(usize, InputId)> },
    /// A zip, held whole until it ends, then opened and its members routed.
    Zip { id: InputId, kind: Option<InputKind>, machine: Option<String> },
}

/// One machine diagnosed apart: its analysis begins at its first own input, from the facts of
/// the shared inputs read by then.
struct Machine {
    name: String,
    analysis: Option<Analysis>,
}

/// An [`Analysis`] per machine plus one for the shared inputs, fed at once: the same calls as
/// one analysis. A shared input (the WSUS server's 40 MB IIS log) is read once, by the shared
/// analysis; each machine's diagnosis starts from a copy of the facts it gave (bounded, so cheap)
/// and adds its own inputs, so rules comparing a client with its server (the client's port with
/// the site's, its self-update requests with the server's log) still see both. Inputs are read
/// one after another (as the CLI and the page do); a shared input that comes after a machine's
/// first own input is read by that machine too, so the order of [`reading_order`] reads each
/// shared input once.
pub struct MachineAnalysis {
    machines: Vec<Machine>,
    /// Machine name → its index in `machines`.
    index: HashMap<String, usize>,
    /// The shared inputs, read once.
    shared: Analysis,
    limits: Limits,
    /// Planned input name → its machine.
    machine: HashMap<String, Option<String>>,
    /// The inputs as the user gave them, for the report's order.
    order: Vec<String>,
    routes: Vec<Route>,
    /// Zips, until they end (their summaries join the report).
    zips: Analysis,
    /// Machine folders found when past [`MAX_MACHINES`] (then read as one), else 0.
    too_many: usize,
    /// `(k, n)`: only the machines of share `k` of `n` are diagnosed (see [`Self::share`]).
    share: Option<(u32, u32)>,
    /// Shared inputs (their names in the shared analysis) read again by machines whose diagnosis
    /// had begun before them: how many machines.
    read_again: HashMap<String, usize>,
    /// A zip member's place in its zip (members are listed so, whichever pass read them).
    member_at: HashMap<String, usize>,
    /// Machines begun while a shared input was being read (a caller feeding several inputs at
    /// once): their diagnosis has only the part read by then.
    begun_mid_read: Vec<String>,
}

impl MachineAnalysis {
    /// `names`: every input that will be added, in order (the plan needs all of them).
    pub fn new(limits: Limits, names: &[&str]) -> Self {
        let machine = machines_of(names);
        let folders = folders_of(names).into_iter().flatten().collect::<BTreeSet<_>>().len();
        let too_many = if folders > MAX_MACHINES { folders } else { 0 };
        let distinct: BTreeSet<String> = machine.iter().flatten().cloned().collect();
        let mut a = MachineAnalysis {
            machines: Vec::new(),
            index: HashMap::new(),
            shared: Analysis::with_limits(limits),
            limits,
            machine: names.iter().map(|n| n.to_string()).zip(machine).collect(),
            order: names.iter().map(|n| n.to_string()).collect(),
            routes: Vec::new(),
            zips: Analysis::archive_holder(limits),
            too_many,
            share: None,
            read_again: HashMap::new(),
            member_at: HashMap::new(),
            begun_mid_read: Vec::new(),
        };
        for m in distinct {
            a.slot(&m);
        }
        a
    }

    /// Diagnose only the machines of share `k` of `n` (a machine's share is a hash of its name,
    /// the same in every worker): `n` workers given the same inputs split a fleet between them.
    /// Inputs of other machines are skipped unread; shared inputs are read by every share.
    pub fn share(limits: Limits, names: &[&str], k: u32, n: u32) -> Self {
        let mut a = Self::new(limits, &[]);
        a.share = Some((k, n.max(1)));
        let fresh = Self::new(limits, names);
        a.machine = fresh.machine;
        a.order = fresh.order;
        a.too_many = fresh.too_many;
        let mut planned: Vec<&String> = a.machine.values().flatten().collect();
        planned.sort();
        planned.dedup();
        let planned: Vec<String> = planned.into_iter().filter(|m| a.mine(m)).cloned().collect();
        for m in planned {
            a.slot(&m);
        }
        a
    }

    /// Whether machine `m` is diagnosed here (always, without a share).
    fn mine(&self, m: &str) -> bool {
        self.share.is_none_or(|(k, n)| share_of(m, n) == k)
    }

    /// Machine `m`'s place, made if new (its diagnosis not begun): the report lists machines in
    /// the order of their places.
    fn slot(&mut self, m: &str) -> usize {
        if let Some(&g) = self.index.get(m) {
            return g;
        }
        self.machines.push(Machine { name: m.to_string(), analysis: None });
        self.index.insert(m.to_string(), self.machines.len() - 1);
        self.machines.len() - 1
    }

    /// Machine `m`'s diagnosis, begun now if it was not (from the shared facts read so far).
    fn begin(&mut self, m: &str) -> usize {
        let g = self.slot(m);
        if self.machines[g].analysis.is_none() {
            if self.shared.reading() {
                self.begun_mid_read.push(m.to_string());
            }
            self.machines[g].analysis = Some(Analysis::seeded(self.limits, self.shared.facts_so_far()));
        }
        g
    }

    /// The machine analysis of `g` (begun: routes hold only begun machines).
    fn analysis(&mut self, g: usize) -> &mut Analysis {
        self.machines[g].analysis.get_or_insert_with(Analysis::new)
    }

    /// Add an input (one of those named to [`Self::new`]; another is shared); returns its index.
    pub fn add_input(&mut self, name: &str, kind: Option<InputKind>) -> usize {
        let mine = self.machine.get(name).cloned().flatten();
        let route = if is_zip_name(name) {
            Route::Zip { id: self.zips.add_input(name, kind), kind, machine: mine }
        } else {
            self.add_read(name, mine.as_deref(), kind, false)
        };
        self.routes.push(route);
        self.routes.len() - 1
    }

    /// Add a loose input or a zip's member (`member`) of machine `m` (`None`: shared) to the
    /// analyses that read it.
    fn add_read(&mut self, name: &str, m: Option<&str>, kind: Option<InputKind>, member: bool) -> Route {
        let add = |a: &mut Analysis| if member { a.add_member(name, kind) } else { a.add_input(name, kind) };
        match m {
            Some(m) if !self.mine(m) => Route::Read { shared: None, machines: Vec::new() },
            Some(m) => {
                let g = self.begin(m);
                Route::Read { shared: None, machines: vec![(g, add(self.analysis(g)))] }
            }
            None => {
                let id = add(&mut self.shared);
                // machines begun before it read it themselves (their copy of the facts predates it)
                let begun: Vec<usize> = (0..self.machines.len()).filter(|&g| self.machines[g].analysis.is_some()).collect();
                if !begun.is_empty() {
                    let shown = self.shared.name(id).unwrap_or(name).to_string();
                    *self.read_again.entry(shown).or_default() += begun.len();
                }
                Route::Read { shared: Some(id), machines: begun.into_iter().map(|g| (g, add(self.analysis(g)))).collect() }
            }
        }
    }

    /// The unique display name evidence uses for this input.
    pub fn name(&self, input: usize) -> Option<&str> {
        match self.routes.get(input)? {
            Route::Read { shared: Some(id), .. } => self.shared.name(*id),
            Route::Read { shared: None, machines } => {
                let (g, id) = *machines.first()?;
                self.machines[g].analysis.as_ref()?.name(id)
            }
            Route::Zip { id, .. } => self.zips.name(*id),
        }
    }

    pub fn declare_size(&mut self, input: usize, bytes: u64) {
        self.each(input, |a, id| a.declare_size(id, bytes));
    }

    pub fn refused(&self, input: usize) -> bool {
        match self.routes.get(input) {
            Some(Route::Read { shared, machines }) => {
                shared.is_some_and(|id| self.shared.refused(id))
                    || machines.iter().any(|&(g, id)| self.machines[g].analysis.as_ref().is_some_and(|a| a.refused(id)))
            }
            Some(Route::Zip { id, .. }) => self.zips.refused(*id),
            None => false,
        }
    }

    pub fn feed(&mut self, input: usize, bytes: &[u8]) {
        self.each(input, |a, id| a.feed(id, bytes));
    }

    pub fn finish_input(&mut self, input: usize) {
        self.each(input, |a, id| a.finish_input(id));
        let Some(Route::Zip { id, kind, machine }) = self.routes.get(input) else { return };
        let (id, kind, machine) = (*id, *kind, machine.clone());
        if let Some(bytes) = self.zips.take_archive() {
            let name = self.zips.name(id).unwrap_or_default().to_string();
            let summary = self.open_zip(&name, kind, machine.as_deref(), &bytes);
            self.zips.set_archive_summary(id, summary);
        }
    }

    fn each(&mut self, input: usize, f: impl FnMut(&mut Analysis, InputId)) {
        match self.routes.get(input) {
            Some(Route::Read { shared, machines }) => Self::each_of(&mut self.shared, &mut self.machines, *shared, machines, f),
            Some(Route::Zip { id, .. }) => {
                let mut f = f;
                f(&mut self.zips, *id)
            }
            None => {}
        }
    }

    /// `f` on every analysis reading one input: the shared one first, then the machines'.
    fn each_of(
        shared: &mut Analysis,
        machines: &mut [Machine],
        id: Option<InputId>,
        route: &[(usize, InputId)],
        mut f: impl FnMut(&mut Analysis, InputId),
    ) {
        if let Some(id) = id {
            f(shared, id);
        }
        for &(g, id) in route {
            if let Some(a) = machines[g].analysis.as_mut() {
                f(a, id);
            }
        }
    }

    /// Read a zip's members into the machines they belong to: split as folders are when it holds
    /// several machines' folders, else all of them the zip's own machine (`None`: shared). When
    /// it splits, its shared members are read first (a second pass over the zip), so each is read
    /// once whatever the members' order.
    fn open_zip(&mut self, zip: &str, kind: Option<InputKind>, own: Option<&str>, bytes: &[u8]) -> crate::archive::ArchiveSummary {
        let names = crate::archive::member_names(bytes);
        self.member_at.extend(names.iter().enumerate().map(|(k, m)| (format!("{zip}/{m}"), k)));
        let (plan, split) = {
            let refs: Vec<&str> = names.iter().map(String::as_str).collect();
            let inner = machines_of(&refs);
            let split = inner.iter().any(Option::is_some);
            let folders = folders_of(&refs).into_iter().flatten().collect::<BTreeSet<_>>().len();
            if folders > MAX_MACHINES {
                self.too_many = self.too_many.max(folders);
            }
            let own = own.map(str::to_string);
            (names.iter().cloned().zip(inner.into_iter().map(|m| if split { m } else { own.clone() })).collect::<HashMap<_, _>>(), split)
        };
        // the report lists the zip's machines in name order
        let mut machines: Vec<&String> = plan.values().flatten().collect();
        machines.sort();
        machines.dedup();
        let machines: Vec<String> = machines.into_iter().cloned().collect();
        for m in &machines {
            if self.mine(m) {
                self.slot(m);
            }
        }
        let own = own.map(str::to_string);
        let mut buf = vec![0u8; 64 * 1024];
        let mut pass = |this: &mut Self, budget: &mut u64, wanted: &dyn Fn(bool) -> bool| {
            crate::archive::read_zip_within(bytes, budget, &mut |member, reader| {
                let m = plan.get(member).cloned().unwrap_or_else(|| own.clone());
                if !wanted(m.is_none()) {
                    return 0; // read in the other pass
                }
                let name = format!("{zip}/{member}");
                let Route::Read { shared, machines } = this.add_read(&name, m.as_deref(), kind, true) else { return 0 };
                if shared.is_none() && machines.is_empty() {
                    return 0; // another share's machine: not read here
                }
                let read = crate::archive::pump(reader, &mut buf, |chunk| {
                    let mut more = false;
                    Self::each_of(&mut this.shared, &mut this.machines, shared, &machines, |a, id| match chunk {
                        crate::archive::MemberChunk::Bytes(b) => {
                            a.feed(id, b);
                            more |= !a.refused(id);
                        }
                        crate::archive::MemberChunk::Failed(e) => a.member_failed(id, e),
                    });
                    more
                });
                Self::each_of(&mut this.shared, &mut this.machines, shared, &machines, |a, id| a.finish_input(id));
                read
            })
        };
        let mut budget = crate::archive::MAX_TOTAL;
        // two passes only when the budget cannot run out in them (it would then name members
        // of the other pass as cut): every member yields at most what it declares
        if split && declared(bytes) <= budget {
            pass(self, &mut budget, &|shared| shared);
            // the same members, checks and notes: the second pass's summary is the zip's
            pass(self, &mut budget, &|shared| !shared)
        } else {
            pass(self, &mut budget, &|_| true)
        }
    }

    /// Run the rules per machine and merge the reports.
    pub fn finish(mut self) -> Report {
        for i in 0..self.routes.len() {
            self.finish_input(i);
        }
        let mut order = std::mem::take(&mut self.order);
        order.extend((0..self.routes.len()).filter_map(|i| self.name(i).map(str::to_string)));
        let zips = std::mem::take(&mut self.zips).summaries();
        // a machine with no input (planned from a zip whose members went elsewhere) says nothing
        let begun: Vec<(String, Analysis)> =
            std::mem::take(&mut self.machines).into_iter().filter_map(|m| Some((m.name, m.analysis?))).collect();
        let one_named = self.share.is_some() && begun.len() == 1;
        let mut report = if begun.is_empty() {
            // no machine apart: the shared inputs are the whole diagnosis
            let ids = self.shared.client_ids().to_vec();
            let mut report = std::mem::take(&mut self.shared).finish();
            say_mixed_machines(&mut report, &ids);
            report
        } else {
            // cloned machines share a SusClientId: that is seen only across the machines' diagnoses
            let mut ids = crate::facts::Facts::default();
            for (_, a) in &begun {
                for id in a.client_ids() {
                    if !ids.registry.client_ids.iter().any(|s| s.evidence.input == id.evidence.input) {
                        ids.registry.client_ids.push(id.clone());
                    }
                }
            }
            let mut shared = std::mem::take(&mut self.shared).summaries();
            let n = begun.len();
            // (one machine's report is unchanged: nothing was shared)
            if n > 1 {
                for i in &mut shared {
                    i.notes.push(match self.read_again.get(&i.name) {
                        None => format!("shared by the {n} machines diagnosed apart: read once, its facts given to each"),
                        Some(k) => format!(
                            "shared by the {n} machines diagnosed apart: read {} times, as {k} machine(s) had begun before it (give the shared files first to read it once)",
                            k + 1
                        ),
                    });
                }
            }
            let shared_names: BTreeSet<String> = shared.iter().map(|i| i.name.clone()).collect();
            let reports: Vec<(Option<String>, Report)> = begun.into_iter().map(|(m, a)| (Some(m), a.finish())).collect();
            if reports.len() == 1 && !one_named {
                let mut report = reports.into_iter().next().map(|(_, r)| r).unwrap_or_default();
                let own = std::mem::take(&mut report.inputs);
                report.inputs = shared;
                report.inputs.extend(own.into_iter().filter(|i| !shared_names.contains(&i.name)));
                say_mixed_machines(&mut report, &ids.registry.client_ids);
                report
            } else {
                let mut report = merge(reports, shared);
                let rule = crate::rules::find("duplicate-client-id").expect("in the catalogue");
                if let Some(f) = crate::rules::assemble::finding_of(rule, &ids) {
                    report.findings.retain(|g| g.rule != rule.id);
                    report.findings.push(f);
                    report.findings.sort_by_key(|f| f.severity);
                    if let Some(c) = report.checks.iter_mut().find(|c| c.rule == rule.id) {
                        c.status = CheckStatus::Fired;
                        c.hint = None;
                    }
                }
                report
            }
        };
        if report.machines.is_empty() && self.too_many > 0 {
            if let Some(first) = report.inputs.first_mut() {
                first.notes.push(format!(
                    "the inputs name {} machine folders; past {MAX_MACHINES} they are read as one machine, not apart: diagnose fewer machines at a time",
                    self.too_many
                ));
            }
        }
        for m in &self.begun_mid_read {
            if let Some(first) = report.inputs.first_mut() {
                first.notes.push(format!(
                    "{m}'s diagnosis began while a shared input was still being read: it has only the part read by then (read inputs one after another)"
                ));
            }
        }
        report.inputs.extend(zips);
        // by the user's order; a zip's members follow it (linear: one lookup per prefix)
        let mut at: HashMap<&str, usize> = HashMap::new();
        for (i, n) in order.iter().enumerate() {
            at.entry(n.as_str()).or_insert(i);
        }
        let member = |name: &str| self.member_at.get(name).copied().unwrap_or(usize::MAX);
        let rank = |name: &str| {
            at.get(name)
                .map(|&i| (i, 0))
                .or_else(|| name.match_indices('/').find_map(|(i, _)| at.get(&name[..i]).map(|&i| (i, member(name).saturating_add(1)))))
                .unwrap_or((usize::MAX, 0))
        };
        report.inputs.sort_by_key(|i| rank(&i.name));
        report
    }
}

/// Bytes a zip's members declare, all together (from its directory; nothing is inflated).
fn declared(bytes: &[u8]) -> u64 {
    let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else { return u64::MAX };
    (0..zip.len().min(crate::archive::MAX_MEMBERS)).filter_map(|i| zip.by_index_raw(i).ok().map(|m| m.size())).fold(0, u64::saturating_add)
}

/// Inputs not in machine folders whose registry names different SusClientIds come from several
/// machines, and were read as one: say so on each of them (the findings may mix machines).
fn say_mixed_machines(report: &mut Report, ids: &[crate::facts::Seen<String>]) {
    let distinct: BTreeSet<&str> = ids.iter().map(|s| s.value.as_str()).collect();
    if distinct.len() < 2 {
        return;
    }
    for id in ids {
        let others: Vec<&str> = ids.iter().filter(|o| o.value != id.value).map(|o| o.evidence.input.as_str()).collect();
        if let Some(input) = report.inputs.iter_mut().find(|i| i.name == id.evidence.input) {
            input.notes.push(format!(
                "its SusClientId {{{}}} is not the one in {}: these inputs come from {} machines and were read as one, so client findings may mix them; put each machine's files in a folder of its own (pc1/, pc2/) and add their parent folder to diagnose each apart",
                id.value,
                others.join(", "),
                distinct.len()
            ));
        }
    }
}

/// Client findings labelled by machine; a finding resting only on shared inputs, once.
/// `shared`: the summaries of the inputs every machine's diagnosis was given (read once).
fn merge(reports: Vec<(Option<String>, Report)>, shared: Vec<crate::report::InputSummary>) -> Report {
    let mut out = Report { version: 1, ..Report::default() };
    let shared_inputs: BTreeSet<String> = shared.iter().map(|i| i.name.clone()).collect();
    let mut seen_inputs = shared_inputs.clone();
    out.inputs = shared;
    out.machines = reports.iter().filter_map(|(m, _)| m.clone()).collect();
    out.modes = reports
        .iter()
        .flat_map(|(m, r)| r.modes.iter().map(move |mm| crate::mode::MachineMode { machine: m.clone(), ..mm.clone() }))
        .collect();
    let mut shared_findings = Vec::new();
    for (m, r) in &reports {
        for i in &r.inputs {
            if seen_inputs.insert(i.name.clone()) {
                out.inputs.push(i.clone());
            }
        }
        for f in &r.findings {
            let server_only = !f.evidence.is_empty() && f.evidence.iter().all(|e| shared_inputs.contains(&e.input));
            if server_only {
                if !shared_findings.iter().any(|g: &crate::report::Finding| g.rule == f.rule && g.detail == f.detail) {
                    shared_findings.push(f.clone());
                }
            } else {
                let mut f = f.clone();
                f.machine = m.clone();
                out.findings.push(f);
            }
        }
        for c in &r.checks {
            match out.checks.iter_mut().find(|o| o.rule == c.rule) {
                None => out.checks.push(c.clone()),
                Some(o) => {
                    let rank = |s: CheckStatus| match s {
                        CheckStatus::Fired => 0,
                        CheckStatus::Passed => 1,
                        CheckStatus::NotRun => 2,
                    };
                    if rank(c.status) < rank(o.status) {
                        *o = c.clone();
                    }
                }
            }
        }
        // the timeline: a machine's client lanes under its name, server lanes once
        let t = &r.timeline;
        if out.timeline.bucket_seconds < t.bucket_seconds {
            out.timeline.bucket_seconds = t.bucket_seconds;
        }
        out.timeline.untimed += t.untimed;
        out.timeline.client_utc |= t.client_utc;
        out.timeline.lanes_cut += t.lanes_cut;
        for (n, lane) in t.lanes.iter().enumerate() {
            let name = match (lane.side, m) {
                (Side::Client, Some(m)) => format!("{m}: {}", lane.name),
                _ => lane.name.clone(),
            };
            if lane.side == Side::Server && out.timeline.lanes.iter().any(|l| l.side == Side::Server && l.name == name) {
                continue; // the same shared server log, in every machine's facts
            }
            out.timeline.lanes.push(crate::timeline::Lane { name, ..lane.clone() });
            let at = out.timeline.lanes.len() - 1;
            out.timeline.cells.extend(t.cells.iter().filter(|c| c.lane == n).map(|c| crate::timeline::Cell { lane: at, ..c.clone() }));
        }
    }
    // server findings first among equals: they concern every machine
    shared_findings.append(&mut out.findings);
    out.findings = shared_findings;
    out.findings.sort_by_key(|f| f.severity);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_split_the_machines_and_the_plan_names_them() {
        let names: Vec<String> = (0..40).map(|i| format!("c/pc{i}/reg.txt")).chain(["c/u_ex.log".to_string()]).collect();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let plan = plan(&refs, &HashMap::new());
        assert_eq!(plan.len(), 40);
        let reg =
            b"HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate\r\n    WUServer    REG_SZ    http://wsus01\r\n";
        let mut seen = Vec::new();
        for k in 0..3 {
            let mut a = MachineAnalysis::share(Limits::default(), &refs, k, 3);
            for n in &refs {
                let id = a.add_input(n, None);
                a.feed(id, reg);
                a.finish_input(id);
            }
            let r = a.finish();
            assert!(r.machines.iter().all(|m| share_of(m, 3) == k));
            // each machine's WUServer finding is labelled with it, even alone in its share
            assert!(r.machines.iter().all(|m| r.modes.iter().any(|x| x.machine.as_deref() == Some(m.as_str()))), "{:?}", r.modes);
            seen.extend(r.machines);
        }
        seen.sort();
        let mut want = plan.clone();
        want.sort();
        assert_eq!(seen, want, "every machine in exactly one share");
        // a share holding a single machine still names it (two machines, two shares)
        let two = ["c/pc1/reg.txt", "c/pc2/reg.txt"];
        let k = share_of("pc1", 2);
        if share_of("pc2", 2) != k {
            let mut a = MachineAnalysis::share(Limits::default(), &two, k, 2);
            for n in two {
                let id = a.add_input(n, None);
                a.feed(id, reg);
                a.finish_input(id);
            }
            let r = a.finish();
            assert_eq!(r.machines, ["pc1"]);
            assert!(r.modes.iter().all(|x| x.machine.as_deref() == Some("pc1")));
        }
        // a zip holding machines' folders is planned from its members
        let members = HashMap::from([(0, vec!["pc1/a.log".to_string(), "pc2/b.log".to_string(), "u_ex.log".to_string()])]);
        assert_eq!(super::plan(&["fleet.zip"], &members), ["pc1", "pc2"]);
    }

    #[test]
    fn machines_are_the_deepest_folders_holding_evidence() {
        let m = machines_of(&["collect/pc1/WindowsUpdate.log", "collect/pc2/reg.txt", "collect/u_ex.log", "collect/pc1/Logs/x.etl"]);
        assert_eq!(m, [Some("pc1".into()), Some("pc2".into()), None, Some("pc1".into())]);
        assert_eq!(machines_of(&["pc1/a.log", "pc1/b.reg"]), [None, None], "one machine: nothing to split");
        assert_eq!(machines_of(&["a.log", "b.reg"]), [None, None]);
        assert_eq!(machines_of(&["pc1/bundle.zip", "pc2/bundle.zip"]), [Some("pc1".into()), Some("pc2".into())]);
        // one machine's collection with its Windows folders is one machine
        let one = machines_of(&["pc1/Logs/WindowsUpdate/a.etl", "pc1/SoftwareDistribution/ReportingEvents.log", "pc1/System.evtx"]);
        assert_eq!(one, [None, None, None]);
        assert_eq!(machines_of(&["c/W3SVC1/u_ex.log", "c/HTTPERR/httperr1.log"]), [None, None]);
        // collection folders at any depth; a drive copied with its paths; the server's logs in a
        // folder of their own are shared; Windows separators
        let mut names = vec![
            "share/siteA/pc1/WindowsUpdate.log",
            "share/siteA/pc1/screenshots/a.png",
            "share/siteA/pc2/C/Windows/Logs/WindowsUpdate/x.etl",
            "share/siteA/notes.txt",
            "share/pc3/WindowsUpdate.log",
            "share/iislogs/u_ex251020.log",
            "share\\pc4\\reg-query.txt",
        ];
        let mut want = [Some("pc1"), Some("pc1"), Some("pc2"), None, Some("pc3"), None, Some("pc4")];
        assert_eq!(machines_of(&names), want.iter().map(|m| m.map(String::from)).collect::<Vec<_>>());
        // whatever the order given
        names.reverse();
        want.reverse();
        assert_eq!(machines_of(&names), want.iter().map(|m| m.map(String::from)).collect::<Vec<_>>());
        // alike names in different places are named by their path; a folder and its zip are one
        let alike = machines_of(&["s/siteA/pc5/WindowsUpdate.log", "s/siteB/PC5/WindowsUpdate.log", "s/pc6/a.etl", "s/pc6.zip"]);
        let want = [Some("siteA/pc5"), Some("siteB/PC5"), Some("pc6"), Some("pc6")];
        assert_eq!(alike, want.map(|m| m.map(String::from)));
        // a Windows folder beside machines is no machine, nor anything in it
        let beside = machines_of(&["s/pc1/a.etl", "s/pc2/b.etl", "s/Logs/pc9/WindowsUpdate.log"]);
        assert_eq!(beside, [Some("pc1".into()), Some("pc2".into()), None]);
        // hostile names: no panic, no machine without a name
        let odd = machines_of(&["", "/", "//", ".zip", "a/.zip", "./x/../WindowsUpdate.log", "\\\\", "é.zip"]);
        assert_eq!(odd.len(), 8);
        // past the cap: read as one, and said
        let many: Vec<String> = (0..=MAX_MACHINES).map(|i| format!("c/pc{i}/reg.txt")).collect();
        // (the cap is large: only the plan is checked at its size; the analysis below is small)
        let names: Vec<&str> = many.iter().map(String::as_str).collect();
        assert!(machines_of(&names).iter().all(Option::is_none));
        let mut a = MachineAnalysis::new(Limits::default(), &names);
        for n in &names {
            let id = a.add_input(n, None);
            a.feed(
                id,
                b"HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate\r\n    WUServer    REG_SZ    http://wsus01\r\n",
            );
            a.finish_input(id);
        }
        let r = a.finish();
        assert!(r.machines.is_empty());
        assert!(
            r.inputs[0]
                .notes
                .iter()
                .any(|n| n.contains(&format!("the inputs name {} machine folders; past {MAX_MACHINES}", MAX_MACHINES + 1))),
            "{:?}",
            r.inputs[0].notes
        );
    }
}
