//! The aggregates of the new readers are capped and say what they cut; hostile shapes of the
//! new text formats end in notes, not in unbounded memory.

use wsus_doctor_core::{diagnose, Input};

#[test]
fn exception_types_past_the_cap_are_counted_and_said() {
    let mut log = String::new();
    for i in 0..40 {
        log.push_str(&format!(
            "2023-03-14 15:40:{:02}.391 UTC\tError\tWsusService.13\tSyncUpdateOperation.Run\tSynchronization failed: Contoso.Fault{i}Exception: the underlying connection was closed\r\n",
            i % 60
        ));
    }
    let r = diagnose(&[Input { name: "SoftwareDistribution.log", bytes: log.as_bytes(), kind: None }]);
    let f = r.finding("server-sync-failed").expect("fires");
    assert!(f.detail.contains("8 occurrence(s) of further exception types not tracked: only 32 types are"), "{}", f.detail);
}

#[test]
fn client_ids_past_the_cap_are_counted_and_said() {
    let inputs: Vec<(String, String)> = (0..260)
        .map(|i| {
            let id = if i < 2 { "8f1d3c6a-2b7e-4c10-9a55-0e3b7d21c4aa".to_string() } else { format!("{i:08x}-2b7e-4c10-9a55-0e3b7d21c4aa") };
            (format!("pc{i}/id.txt"), format!("HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WindowsUpdate\r\n    SusClientId    REG_SZ    {id}\r\n"))
        })
        .collect();
    let r = diagnose(&inputs.iter().map(|(n, t)| Input { name: n, bytes: t.as_bytes(), kind: None }).collect::<Vec<_>>());
    let f = r.finding("duplicate-client-id").expect("pc0 and pc1 share an id");
    assert!(f.detail.contains("4 further input(s) with a SusClientId were not compared (only 256 are)"), "{}", f.detail);
}

#[test]
fn endless_descriptions_and_stack_traces_stay_bounded() {
    // an event whose description never ends: kept to 4,000 characters
    let mut text = String::from("Event[0]:\r\n  Source: Windows Server Update Services\r\n  Event ID: 12072\r\n  Description: \r\n");
    for _ in 0..20_000 {
        text.push_str("The WSUS Web Service is not working and this line repeats forever\r\n");
    }
    let r = diagnose(&[Input { name: "events.txt", bytes: text.as_bytes(), kind: None }]);
    let f = r.finding("server-web-service-unhealthy").expect("the event is still read");
    assert!(f.evidence.iter().all(|e| e.text.len() <= 410));
    assert_eq!(r.inputs[0].unrecognised, 0);
    // a record followed by 100,000 stack-trace lines: every line read with it, one record
    let mut log = String::from("2023-03-14 15:40:08.391 UTC\tError\tWsusService.13\tSyncUpdateOperation.Run\tSynchronization failed: System.Net.WebException: The underlying connection was closed\r\n");
    for i in 0..100_000 {
        log.push_str(&format!("   at Microsoft.UpdateServices.Frame{i}.Run()\r\n"));
    }
    let r = diagnose(&[Input { name: "SoftwareDistribution.log", bytes: log.as_bytes(), kind: None }]);
    assert_eq!((r.inputs[0].lines, r.inputs[0].unrecognised), (100_001, 0));
    assert!(r.inputs[0].notes.iter().any(|n| n.starts_with("100000 stack-trace line(s)")), "{:?}", r.inputs[0].notes);
}

/// A service list written by someone to fill memory: a thousand registered services. The agent
/// registers a handful; the rest are counted and said, and the WSUS service still sets the mode.
#[test]
fn update_services_past_the_cap_are_counted_and_said() {
    let mut list = String::from("ServiceID                            IsManaged IsDefault Name\r\n---------                            --------- --------- ----\r\n");
    list.push_str("3da21691-e39d-4da6-8a4b-b43877bcb1b7 True      True      Windows Server Update Service\r\n");
    for i in 0..1000u32 {
        list.push_str(&format!("{i:08x}-e343-43b6-b170-9a65bc822c77 False     False     Fake service {i}\r\n"));
    }
    let r = diagnose(&[Input { name: "services.txt", bytes: list.as_bytes(), kind: None }]);
    let notes: String = r.inputs.iter().flat_map(|i| i.notes.clone()).collect::<Vec<_>>().join(" | ");
    assert!(
        notes.contains("985 update service(s) of the service list were not kept: an agent registers a handful, only 16 are"),
        "{notes}"
    );
    assert_eq!(r.modes[0].mode.id(), "wsus", "{:?}", r.modes);
}
