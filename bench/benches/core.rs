//! Criterion benches: each parser alone and `diagnose` on each input kind, on generated evidence.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use wsus_doctor_core::{diagnose, iis::IisReader, registry::RegistryReader, wulog, Input};

fn gen(f: impl Fn(&mut Vec<u8>)) -> Vec<u8> {
    let mut v = Vec::new();
    f(&mut v);
    v
}

fn benches(c: &mut Criterion) {
    let size = 16 << 20;
    let iis = gen(|v| {
        wsus_doctor_bench::iis(v, size, 1).unwrap();
    });
    let wu = gen(|v| {
        wsus_doctor_bench::wulog(v, size, 2, false).unwrap();
    });
    let wu10 = gen(|v| {
        wsus_doctor_bench::wulog(v, size, 3, true).unwrap();
    });
    let etl = gen(|v| {
        wsus_doctor_bench::etl::generate(v, size, 3).unwrap();
    });
    let evtx = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/evtx/system.evtx")).unwrap();
    let reg: Vec<u8> = "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate]\r\n\"WUServer\"=\"http://wsus01:8530\"\r\n\"WUStatusServer\"=\"http://wsus01:8530\"\r\n\"Bin\"=hex:01,02,03,04,05,06,07,08,09,0a,0b,0c,0d,0e,0f,10\r\n\r\n".repeat(20_000).into_bytes();

    let mut g = c.benchmark_group("parse");
    g.sample_size(10);
    let iis_text = std::str::from_utf8(&iis).unwrap();
    g.throughput(Throughput::Bytes(iis.len() as u64));
    g.bench_function("iis_reader", |b| {
        b.iter(|| {
            let mut r = IisReader::new();
            iis_text.lines().filter(|l| matches!(r.read(l), wsus_doctor_core::iis::IisLine::Request(_))).count()
        })
    });
    let wu_text = std::str::from_utf8(&wu).unwrap();
    g.throughput(Throughput::Bytes(wu.len() as u64));
    g.bench_function("wulog_parse_line_classic", |b| b.iter(|| wu_text.lines().map(|l| wulog::parse_line(l).0.len()).sum::<usize>()));
    let wu10_text = std::str::from_utf8(&wu10).unwrap();
    g.throughput(Throughput::Bytes(wu10.len() as u64));
    g.bench_function("wulog_parse_line_modern", |b| b.iter(|| wu10_text.lines().map(|l| wulog::parse_line(l).0.len()).sum::<usize>()));
    let reg_text = std::str::from_utf8(&reg).unwrap();
    g.throughput(Throughput::Bytes(reg.len() as u64));
    g.bench_function("registry_reader", |b| {
        b.iter(|| {
            let mut r = RegistryReader::new();
            let mut out = Vec::new();
            for (n, l) in reg_text.lines().enumerate() {
                r.read(n as u64 + 1, l, &mut out);
                out.clear();
            }
        })
    });
    g.throughput(Throughput::Bytes(etl.len() as u64));
    g.bench_function("etl_decoder", |b| {
        b.iter(|| {
            let mut d = wsus_doctor_core::etl::EtlDecoder::new();
            let mut n = 0usize;
            for c in etl.chunks(1 << 20) {
                d.push(c, &mut |_, l| n += l.len());
            }
            d.finish(&mut |_, l| n += l.len());
            n
        })
    });
    g.finish();

    let mut g = c.benchmark_group("diagnose");
    g.sample_size(10);
    for (name, bytes) in
        [("iis", &iis), ("wulog_classic", &wu), ("wulog_modern", &wu10), ("etl", &etl), ("evtx_system_1mb", &evtx), ("registry", &reg)]
    {
        g.throughput(Throughput::Bytes(bytes.len() as u64));
        g.bench_function(name, |b| b.iter(|| diagnose(&[Input { name: "bench", bytes, kind: None }]).findings.len()));
    }
    g.finish();
}

criterion_group!(core, benches);
criterion_main!(core);
