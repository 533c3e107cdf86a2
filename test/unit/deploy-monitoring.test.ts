import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { exposedMetricNames } from '../../src/ops/metrics/catalog.js';

// The alert rules and the dashboard shipped in deploy/ must name only metrics the processes expose: a renamed
// metric would silently turn an alert off.
const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const known = exposedMetricNames();

const PROMQL_WORDS = new Set(
  [
    'sum max min avg count rate irate increase delta deriv histogram_quantile time absent by without on ignoring',
    'group_left group_right or and unless bool topk bottomk quantile abs clamp_min clamp_max vector scalar',
    'label_replace changes resets offset inf nan',
  ]
    .join(' ')
    .split(' '),
);

/** The metric names a PromQL expression reads: labels, strings, ranges, numbers and functions taken out. */
function metricsIn(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\b(by|without|on|ignoring)\s*\([^)]*\)/g, '')
    .replace(/\b\d+(\.\d+)?(e[+-]?\d+)?\b/gi, '0');
  return [...bare.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)]
    .map((m) => m[0])
    .filter((token) => !PROMQL_WORDS.has(token.toLowerCase()));
}

interface Rule {
  alert: string;
  expr: string;
  labels?: { severity?: string };
  annotations?: { summary?: string; description?: string };
}

describe('deploy/prometheus/alerts.yml', () => {
  const file = parseYaml(read('deploy/prometheus/alerts.yml')) as {
    groups: { name: string; rules: Rule[] }[];
  };
  const rules = file.groups.flatMap((g) => g.rules);

  it('alerts on a stale poller, failing jobs, a stuck outbox, set-aside mail and unchecked senders', () => {
    const byName = new Map(rules.map((r) => [r.alert, r]));
    const reads = (alert: string) => metricsIn(byName.get(alert)?.expr ?? '');
    expect(reads('ReformPollerStale')).toContain('reform_imap_last_poll_timestamp_seconds');
    expect(reads('ReformJobsFailing')).toEqual(
      expect.arrayContaining(['reform_jobs_failed_total', 'reform_queue_jobs']),
    );
    expect(reads('ReformOutboxStuck')).toContain('reform_outbox_oldest_unsent_seconds');
    expect(reads('ReformMessagesSetAside')).toContain('reform_messages_set_aside_total');
    expect(reads('ReformSenderCheckingNotConfigured')).toContain('reform_sender_checking_configured');
    expect(reads('ReformMailsFinallyFailed')).toContain('reform_mails_failed_total');
  });

  it('names only metrics the processes expose, and says how bad and what happened', () => {
    for (const rule of rules) {
      const names = metricsIn(rule.expr);
      expect(names.length, rule.alert).toBeGreaterThan(0);
      for (const name of names) expect(known, `${rule.alert}: ${name}`).toContain(name);
      expect(['critical', 'warning', 'info']).toContain(rule.labels?.severity);
      expect(rule.annotations?.summary, rule.alert).toBeTruthy();
    }
  });

  it('is the file the compose Prometheus loads', () => {
    const prometheus = parseYaml(read('deploy/prometheus/prometheus.yml')) as {
      rule_files: string[];
      scrape_configs: { job_name: string }[];
    };
    expect(prometheus.rule_files).toEqual(['/etc/prometheus/alerts.yml']);
    expect(prometheus.scrape_configs.map((s) => s.job_name)).toEqual(['reform-ops', 'reform-workers']);
    expect(read('docker-compose.yml')).toContain(
      './deploy/prometheus/alerts.yml:/etc/prometheus/alerts.yml:ro',
    );
  });
});

describe('deploy/grafana/dashboards/reform-inbox.json', () => {
  const dashboard = JSON.parse(read('deploy/grafana/dashboards/reform-inbox.json')) as {
    uid: string;
    panels: { title: string; datasource: { uid: string }; targets: { expr: string }[] }[];
  };
  const datasources = parseYaml(read('deploy/grafana/provisioning/datasources/prometheus.yml')) as {
    datasources: { uid: string }[];
  };

  it('charts only metrics the processes expose, from the provisioned data source', () => {
    expect(dashboard.panels.length).toBeGreaterThan(5);
    const uid = datasources.datasources[0]?.uid;
    const charted = new Set<string>();
    for (const panel of dashboard.panels) {
      expect(panel.datasource.uid, panel.title).toBe(uid);
      expect(panel.targets.length, panel.title).toBeGreaterThan(0);
      for (const target of panel.targets)
        for (const name of metricsIn(target.expr)) {
          expect(known, `${panel.title}: ${name}`).toContain(name);
          charted.add(name);
        }
    }
    // The histograms and the counters of the issue are all on it.
    for (const name of [
      'reform_parse_duration_seconds_bucket',
      'reform_arrival_to_committed_seconds_bucket',
      'reform_messages_stored_total',
      'reform_messages_set_aside_total',
      'reform_files_refused_total',
      'reform_mails_sent_total',
      'reform_mails_failed_total',
    ])
      expect(charted).toContain(name);
  });
});

describe('the PromQL reader of these tests', () => {
  it('finds metric names and nothing else', () => {
    expect(
      metricsIn(
        'histogram_quantile(0.95, sum by (le) (rate(reform_parse_duration_seconds_bucket{job="x"}[5m]))) > 1e9',
      ),
    ).toEqual(['reform_parse_duration_seconds_bucket']);
    expect(metricsIn('time() - max(a_b) > 5 * max(c) or absent(d)')).toEqual(['a_b', 'c', 'd']);
  });
});
