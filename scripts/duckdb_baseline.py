#!/usr/bin/env python3
"""The baseline an HMIS lead might reach for instead of hmis-audit: DuckDB SQL
over the same export, computing two rules only, LOCK-001 and VIS-001 (DV,
HIV, exit-trafficking and Limited Sharing triggers; no unaccompanied minors,
no assessment questions, no line-level diagnostics).

    python3 scripts/duckdb_baseline.py EXPORT_DIR AS_OF

Prints one JSON line: seconds and the two counts. Needs `pip install duckdb`.
"""
import json
import sys
import time

import duckdb

export, as_of = sys.argv[1], sys.argv[2]
started = time.time()
con = duckdb.connect()
con.execute("SET threads TO 2")


def view(name, file):
    con.execute(
        f"CREATE VIEW {name} AS SELECT * FROM read_csv('{export}/{file}', header=true, "
        "all_varchar=true, strict_mode=false, null_padding=true)"
    )


for name, file in [
    ("project", "Project.csv"), ("client", "Client.csv"), ("enrollment", "Enrollment.csv"),
    ("hdv", "HealthAndDV.csv"), ("dis", "Disabilities.csv"), ("ex", "Exit.csv"),
    ("roi", "ReleaseOfInformation.csv"), ("cv", "ClientVisibility.csv"),
    ("vg", "VisibilityGroup.csv"), ("cvg", "ClientVisibilityGroup.csv"),
]:
    view(name, file)

con.execute(f"""
CREATE TEMP TABLE triggered AS
SELECT DISTINCT PersonalID FROM hdv WHERE CurrentlyFleeing = '1' AND coalesce(DateDeleted, '') = ''
UNION SELECT DISTINCT PersonalID FROM dis WHERE DisabilityType = '8' AND DisabilityResponse = '1' AND coalesce(DateDeleted, '') = ''
UNION SELECT DISTINCT PersonalID FROM ex WHERE '1' IN (AskedOrForcedToExchangeForSex, CoercedToContinueWork,
      WorkplaceViolenceThreats, WorkplacePromiseDifference)
UNION SELECT DISTINCT PersonalID FROM roi
      WHERE (lower(Documentation) IN ('limited sharing', 'no sharing', 'limited', 'no', 'none') OR ReleaseGranted = '0')
        AND try_cast(StartDate AS DATE) <= DATE '{as_of}'
        AND (coalesce(EndDate, '') = '' OR try_cast(EndDate AS DATE) >= DATE '{as_of}')
""")
lock_001 = con.execute("""
SELECT count(*) FROM triggered t JOIN client c USING (PersonalID)
LEFT JOIN cv ON cv.PersonalID = t.PersonalID
WHERE coalesce(cv.Locked, '0') NOT IN ('1', 'Yes', 'yes') AND coalesce(cv.Restricted, '0') NOT IN ('1', 'Yes', 'yes')
""").fetchone()[0]
vis_001 = con.execute("""
WITH locked AS (SELECT PersonalID, OwnerOrganizationID FROM cv WHERE Locked IN ('1', 'Yes', 'yes')),
providers AS (
  SELECT DISTINCT e.PersonalID, p.OrganizationID AS provider
  FROM enrollment e JOIN project p ON p.ProjectID = e.ProjectID
),
members AS (
  SELECT DISTINCT g.PersonalID, v.MemberID AS org
  FROM cvg g JOIN vg v ON v.VisibilityGroupID = g.VisibilityGroupID
  WHERE lower(v.MemberType) = 'organization'
)
SELECT count(*) FROM locked l JOIN client c USING (PersonalID)
JOIN providers pr ON pr.PersonalID = l.PersonalID
WHERE pr.provider <> coalesce(l.OwnerOrganizationID, '')
  AND NOT EXISTS (SELECT 1 FROM members m WHERE m.PersonalID = l.PersonalID AND m.org = pr.provider)
""").fetchone()[0]
print(json.dumps({"seconds": round(time.time() - started, 2), "LOCK-001": lock_001, "VIS-001": vis_001}))
