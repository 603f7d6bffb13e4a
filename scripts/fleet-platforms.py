"""Rank the fleet's causes with DuckDB (over fleet.ndjson) and with Spark (bundle paths piped
through `wsus-doctor diagnose --format ndjson`), and check both against the fleet summary.
Usage: fleet-platforms.py SHARE_PARENT WSUS_DOCTOR_BINARY (see scripts/test-fleet.sh)."""

import glob
import json
import os
import shlex
import sys

root, binary = sys.argv[1], sys.argv[2]
summary = json.load(open(os.path.join(root, "summary.json")))
expected = [(c["rule"], c["machines"]) for c in summary["causes"]]
assert expected, "the generated fleet has causes to rank"

# The cause query, the same words for both engines: a client's finding that no other explains,
# at warning or above, counted once per machine; ties by rule id.
WHERE = "event.kind = 'alert' AND wsus_doctor.role = 'client' AND {log}.level <> 'info' AND wsus_doctor.caused_by IS NULL"

import duckdb  # noqa: E402

con = duckdb.connect()
rows = con.execute(
    f"""SELECT rule.id AS rule, count(DISTINCT host.name) AS machines
        FROM read_json('{os.path.join(root, "fleet.ndjson")}', format = 'newline_delimited', sample_size = -1)
        WHERE {WHERE.format(log='"log"')}
        GROUP BY rule.id ORDER BY machines DESC, rule"""
).fetchall()
duck = [(r, int(n)) for r, n in rows]
assert duck == expected, f"DuckDB ranks {duck}\nthe summary {expected}"
machines = con.execute(
    f"""SELECT count(DISTINCT host.name) FROM read_json('{os.path.join(root, "fleet.ndjson")}', format = 'newline_delimited', sample_size = -1)
        WHERE event.kind = 'state' AND wsus_doctor.role = 'client'"""
).fetchone()[0]
assert machines == summary["diagnosed"], (machines, summary["diagnosed"])
print(f"DuckDB: {len(duck)} causes over {machines} machines ranked as the fleet summary")

from pyspark.sql import SparkSession  # noqa: E402

spark = (
    SparkSession.builder.master("local[2]")
    .appName("wsus-doctor-fleet")
    .config("spark.ui.enabled", "false")
    .config("spark.sql.shuffle.partitions", "4")
    .config("spark.ui.showConsoleProgress", "false")
    .getOrCreate()
)
spark.sparkContext.setLogLevel("ERROR")
share = os.path.join(root, "share")
# the bundles as a data team lists them: every machine folder and zip (server logs apart)
bundles = sorted(glob.glob(f"{share}/site-*/*/PC*") + glob.glob(f"{share}/recollected/PC*"))
# one `diagnose` per bundle; its exit status (1: errors found, 2: unreadable) is a verdict, not a failure
cmd = f'while IFS= read -r p; do {shlex.quote(binary)} diagnose --format ndjson "$p" || true; done'
lines = spark.sparkContext.parallelize(bundles, 8).pipe("sh -c " + shlex.quote(cmd)).cache()
df = spark.read.json(lines)
df.createOrReplaceTempView("wsus_doctor")
spark_rows = spark.sql(
    f"""SELECT rule.id AS rule, count(DISTINCT host.name) AS machines FROM wsus_doctor
        WHERE {WHERE.format(log='`log`')}
        GROUP BY rule.id ORDER BY machines DESC, rule"""
).collect()
ranked = [(r["rule"], int(r["machines"])) for r in spark_rows]
spark_machines = spark.sql("SELECT count(DISTINCT host.name) AS n FROM wsus_doctor WHERE event.kind = 'state'").collect()[0]["n"]
spark.stop()
assert ranked == expected, f"Spark ranks {ranked}\nthe summary {expected}"
assert spark_machines == summary["diagnosed"], (spark_machines, summary["diagnosed"])
print(f"Spark (local, RDD.pipe through diagnose): {len(ranked)} causes over {spark_machines} machines ranked as the fleet summary")
