#!/usr/bin/env bash
# The end-to-end demo on local services: installs what is missing, starts PostgreSQL, Redis, Dovecot and the
# SMTP capture server, migrates, loads the 2021 Hanoi campaign and agency registry, starts the poller, parser and
# mailer, delivers the sample emails to the reform inbox, waits until everything is handled, and shows the result.
# A second run reuses the services and adds nothing already stored. Stop everything with `npm run services:down`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

[ -d node_modules ] || npm ci --no-audit --no-fund
# Built now unless dist/ is newer than every source file: the demo never runs a stale build.
node bin/check-build.js 2>/dev/null || npm run build
bash scripts/services.sh up
D=${REFORM_DATA_DIR:-/var/tmp/reform-inbox-$(id -un)}
export REFORM_DATA_DIR=$D
set -a
# shellcheck disable=SC1091
. "$D/services.env"
set +a
export LOG_LEVEL=${LOG_LEVEL:-warn}
# The queue dashboard's login for the demo.
export ADMIN_USER=${ADMIN_USER:-operator} ADMIN_PASSWORD=${ADMIN_PASSWORD:-reform-demo}
export HTTP_PORT=${HTTP_PORT:-8080}
# The sample mails arrive on the days they were sent in 2021 (--as-sent below): the replies then speak of that
# season and its deadlines, and mail that old is still answered here.
export IMAP_MAX_ACK_AGE_DAYS=${IMAP_MAX_ACK_AGE_DAYS:-100000}
reform() { node bin/reform.js "$@"; }

reform seed
# The staff console's demo account (a second run sets its password again).
export STAFF_DEMO_USER=${STAFF_DEMO_USER:-canbo} STAFF_DEMO_PASSWORD=${STAFF_DEMO_PASSWORD:-canbo-demo-2021}
printf '%s\n' "$STAFF_DEMO_PASSWORD" | reform staff add "$STAFF_DEMO_USER" --name "Cán bộ Phòng CCHC (demo)" >/dev/null 2>&1 \
  || printf '%s\n' "$STAFF_DEMO_PASSWORD" | reform staff passwd "$STAFF_DEMO_USER" >/dev/null
bash scripts/processes.sh start
reform inbox append --skip-known --as-sent data/demo-emails/*.eml
reform wait-idle --timeout 120 --messages 14
# A data directory kept from an earlier version: its files are drawn for the console too.
reform draw-missing >/dev/null
# The 2021 campaign is long past: show a reminder round as it went out a week before 31/7/2021 (24/7 was a
# Saturday: official mail goes out on working days, so the 7-day reminder went out on Friday 23/7), and a digest.
reform remind --send --date 2021-07-23 >/dev/null
reform digest --send >/dev/null
reform wait-idle --timeout 60
echo
reform status
reform export --campaign 2021 --format xlsx --out "$D/tong-hop-sang-kien-2021.xlsx" >/dev/null
# The processes' own metrics ports, as scripts/processes.sh gives them out: poller, parser, mailer, scheduler.
MB=${METRICS_PORT_BASE:-9464}
cat <<TXT

Where to look:
  mails sent             $D/smtp/outbox/*.eml (one .eml per mail; envelopes in envelopes.jsonl):
                         acknowledgements, the reminders of 23/7/2021 and the staff digest (to staff@hanoi.gov.vn)
  staff console          http://127.0.0.1:$HTTP_PORT/  (user $STAFF_DEMO_USER, password $STAFF_DEMO_PASSWORD)
  queue dashboard        http://127.0.0.1:$HTTP_PORT/admin/queues  (user $ADMIN_USER, password $ADMIN_PASSWORD)
  health and metrics     http://127.0.0.1:$HTTP_PORT/readyz  http://127.0.0.1:$HTTP_PORT/metrics  (the details and the
                         metrics with the queue dashboard's login)
  each process's own     http://127.0.0.1:$MB/metrics (poller), :$((MB + 1)) (parser), :$((MB + 2)) (mailer), :$((MB + 3)) (scheduler),
                         and /healthz on the same ports
  consolidated report    $D/tong-hop-sang-kien-2021.xlsx   (reform export --format xlsx|docx|csv)
  staff digest           npx reform digest --dry-run       (17:00 on days with news; reminders 08:00, working days)
  the mailbox            IMAP $IMAP_HOST:$IMAP_PORT, user $IMAP_USER, password $IMAP_PASSWORD (folders Processed, Needs review)
  the database           psql $DATABASE_URL
  process logs           $D/run-workers/{poller,parser,mailer,scheduler,ops}.log
  parse a form yourself  npx reform parse test/fixtures/forms/dk-so-tu-phap.docx
Stop everything with: npm run services:down
TXT
