#!/usr/bin/env bash
# The end-to-end demo on local services: installs what is missing, starts PostgreSQL, Redis, Dovecot and the
# SMTP capture server, migrates, loads the 2021 Hanoi campaign and agency registry, and shows the result.
# The services keep running afterwards; stop them with `npm run services:down`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

[ -d node_modules ] || npm ci --no-audit --no-fund
[ -f dist/workers/cli.js ] || npm run build
bash scripts/services.sh up
D=${REFORM_DATA_DIR:-/var/tmp/reform-inbox-$(id -un)}
set -a
# shellcheck disable=SC1091
. "$D/services.env"
set +a

node bin/reform.js seed
echo
node bin/reform.js campaign list
echo
echo "Agencies in the registry: $(node bin/reform.js agencies list --json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).length))')"
cat <<TXT

Services (all on 127.0.0.1, data in $D):
  PostgreSQL  $DATABASE_URL
  Redis       $REDIS_URL
  IMAP        $IMAP_HOST:$IMAP_PORT  user $IMAP_USER / password $IMAP_PASSWORD (the reform inbox)
  SMTP        $SMTP_HOST:$SMTP_PORT  every mail sent is kept in $D/smtp/outbox as .eml
Stop them with: npm run services:down
TXT
