#!/usr/bin/env bash
# The README's worked example: a short NHS IMPACT session, its action notes and the board paper.
# Run from the repository root after `make install`: bash docs/worked-example.sh [DATA_DIR]
set -euo pipefail
export IMPACT_DATA_DIR="${1:-/tmp/impact-worked-example}"
impact() { .venv/bin/impact "$@"; }

impact ingest --bundled >/dev/null
ID=$(impact session new --board "Anytown NHS FT Board" --org "Anytown NHS Foundation Trust" \
  --framework nhs-impact --date 2025-03-06 --facilitator "Dan Hughes" \
  --participants "Helen Ward, Tom Patel, Sarah Jones, Amir Khan" --sections c1,c4 \
  --next-board 2025-04-03 --json | python3 -c "import json,sys; print(json.load(sys.stdin)['id'])")
echo "session $ID"

impact session evidence "$ID" --question c1.1 >/dev/null
impact session respond "$ID" --question c1.1 --notes "The vision was written by the executive \
team in 2022 and never tested with patients or frontline staff. Sarah Jones will run two \
listening events with patient partners by the end of April. Amir to bring a revised purpose \
statement to the next board. We might consider a peer visit to Leeds."
impact session respond "$ID" --question c1.r --rate "Helen Ward=2" --rate "Tom Patel=3" \
  --rate "Sarah Jones=2" --rate "Amir Khan=1"
impact session respond "$ID" --question c1.r --agreed 2 \
  --rationale "Good intent, but the vision was not co-produced and staff would not recognise it" \
  --target 3 --by 2026-03-31

impact session evidence "$ID" --question c4.1 >/dev/null
impact session respond "$ID" --question c4.1 --notes "Only 41% of new starters get an \
introduction to QSIR at induction; the board itself has not been trained. The chief people \
officer to add a QSIR introduction to induction within 3 months. We will not buy in a second \
method. Tom Patel will cost protected improvement time for band 7 leaders by Q2."
impact session respond "$ID" --question c4.r --rate "Helen Ward=2" --rate "Tom Patel=2" \
  --rate "Sarah Jones=3" --rate "Amir Khan=2" --agreed 2 \
  --rationale "One method, but training reaches too few staff and no board members" \
  --target 4 --by 2027-03-31
impact session summary "$ID" --section c1 --text "The vision needs to be co-produced with patients and staff."
impact session summary "$ID" --section c4 --text "Capability is building, but slowly and not yet at board level."

impact session actions "$ID"
impact session action "$ID" A1 --status agreed
impact session action "$ID" A2 --status agreed --owner "Amir Khan"
impact session action "$ID" A3 --status agreed --owner "Helen Ward"
impact session action "$ID" A4 --status agreed
impact session action "$ID" A5 --status agreed
impact session action "$ID" A6 --owner "Tom Patel"
impact session set "$ID" --agenda-item "Item 9" --lead-director "Amir Khan, Chief Executive" \
  --objectives "SO2: a culture of continuous improvement" \
  --risks "BAF 4: improvement capability and capacity"
impact session close "$ID"
impact session export "$ID" --format docx --out "$IMPACT_DATA_DIR/board-paper.docx"
impact session export "$ID" --format md --out "$IMPACT_DATA_DIR/board-paper.md"
impact session export "$ID" --format csv --out "$IMPACT_DATA_DIR/action-log.csv"
