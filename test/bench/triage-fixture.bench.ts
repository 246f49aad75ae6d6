import 'reflect-metadata';
import '../../libs/platform/src/preamble';
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RegionCatalog } from '../../libs/config/src/region-catalog';
import { loadRegionConfig } from '../../libs/config/src/region-config.loader';
import { routingOutcomes } from '../../libs/classification/src/seed-examples';
import { DEV_CLEAR_IM, DEV_CLEAR_POS, DEV_CONTENT_FREE_IM, DEV_CONTENT_FREE_POS } from '../fixtures/triage-dev-texts.fixture';
import { CLEAR_IM, CLEAR_POS, ClearText, CONTENT_FREE_IM, CONTENT_FREE_POS } from '../fixtures/triage-texts.fixture';
import { getJson, postJson } from '../support/http';
import { ROOT } from '../support/root';

/**
 * `npm run bench` (and `npm run bench:triage`): the product's own triage, as the demo runs it, on
 * the project-written fixtures: the measurement fixture, and the development fixture that seed
 * phrasings and decision rules may be tuned on (its keys in the JSON start with `dev`). Starts the
 * standalone app on the embedded default with a fresh data folder and no demo stream, waits for its
 * bootstrap models, posts every fixture text through the intake API (ПОС texts as `pos`, social ones
 * as `social`) and reads what triage did: the share of content-free texts kept for a person and the
 * share of clear ones routed automatically (and of those, routed to the right category, or for
 * social posts the right topic group; and to the right organization under the right clocks, what
 * the decision is taken on: for a social post, where some topic of the expected group would go).
 * Then the same texts through the keyword fallback that triage uses while no model is active.
 * Prints figures; asserts nothing. The last line is one JSON object.
 */
const PORT = Number(process.env.BENCH_TRIAGE_PORT ?? 3958);
const CONCURRENCY = 4;

interface Outcome {
  status: 'assigned' | 'needs_triage';
  categoryCode: string | null;
  territoryId: string | null;
  noContent: boolean;
}

const FIXTURES = [
  { name: '', title: 'bootstrap models', pos: { free: CONTENT_FREE_POS, clear: CLEAR_POS }, im: { free: CONTENT_FREE_IM, clear: CLEAR_IM } },
  {
    name: 'dev',
    title: 'development fixture',
    pos: { free: DEV_CONTENT_FREE_POS, clear: DEV_CLEAR_POS },
    im: { free: DEV_CONTENT_FREE_IM, clear: DEV_CLEAR_IM },
  },
] as const;

async function main(): Promise<void> {
  const region = new RegionCatalog(loadRegionConfig(join(ROOT, 'config'), 'rostov'));
  const dataDir = mkdtempSync(join(tmpdir(), 'cur-triage-bench-'));
  const url = `http://127.0.0.1:${PORT}`;
  const child = spawn(process.execPath, [join(ROOT, 'dist/apps/standalone/src/main.js')], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TZ: 'UTC',
      PORT: String(PORT),
      CUR_DATA_DIR: dataDir,
      CUR_LOG_FORMAT: 'json',
      CUR_DEMO_STREAM: 'false',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let errors = '';
  child.stderr.on('data', (chunk: Buffer) => (errors = (errors + chunk.toString()).slice(-5000)));
  try {
    await modelsActive(url, child, () => errors);
    const login = await postJson(`${url}/api/v1/auth/login`, { login: 'operator', password: 'operator' }, {});
    const auth = { Authorization: `Bearer ${login.body.accessToken}` };
    const summary: Record<string, number> = {};
    for (const fixture of FIXTURES) {
      for (const channel of ['pos', 'social'] as const) {
        const name = channel === 'pos' ? 'pos' : 'im';
        const { free: contentFree, clear } = fixture[name];
        const freeOutcomes = await run(url, auth, channel, contentFree);
        const clearOutcomes = await run(
          url,
          auth,
          channel,
          clear.map((c) => c.text),
        );
        const kept = freeOutcomes.filter((o) => o.status === 'needs_triage');
        const byRule = freeOutcomes.filter((o) => o.noContent);
        const routed = clearOutcomes.map((o, i) => ({ o, expected: clear[i] })).filter(({ o }) => o.status === 'assigned');
        const right = routed.filter(({ o, expected }) => isRight(region, o.categoryCode, expected));
        const rightRouting = routed.filter(({ o, expected }) => isRightRouting(region, channel, o, expected));
        const wronglyKept = clearOutcomes.filter((o) => o.noContent).length;
        const label = `${name}, ${fixture.title}`;
        console.log(
          `triage (${label}): content-free kept for a person ${kept.length}/${contentFree.length} (${percent(kept.length, contentFree.length)}; ${byRule.length} by the no-content rule); ` +
            `clear routed automatically ${routed.length}/${clear.length} (${percent(routed.length, clear.length)}), ${channel === 'pos' ? 'right category' : 'right topic group'} ${right.length}/${routed.length} (${percent(right.length, routed.length)}), ` +
            `right organization and clocks ${rightRouting.length}/${routed.length} (${percent(rightRouting.length, routed.length)}); clear taken for content-free ${wronglyKept}`,
        );
        const fallback = keywordFallback(region, name, contentFree, clear);
        console.log(
          `triage (${name}${fixture.name ? `, ${fixture.title}` : ''}, keywords while no model is active): content-free kept ${fallback.kept}/${contentFree.length} (${percent(fallback.kept, contentFree.length)}); ` +
            `clear routed ${fallback.routed}/${clear.length} (${percent(fallback.routed, clear.length)}), right ${fallback.right}/${fallback.routed} (${percent(fallback.right, fallback.routed)})`,
        );
        const key = (k: string) => (fixture.name ? `${fixture.name}${name[0].toUpperCase()}${name.slice(1)}${k}` : `${name}${k}`);
        Object.assign(summary, {
          [key('ContentFree')]: contentFree.length,
          [key('ContentFreeKeptShare')]: share(kept.length, contentFree.length),
          [key('Clear')]: clear.length,
          [key('ClearRoutedShare')]: share(routed.length, clear.length),
          [key('RoutedRightShare')]: share(right.length, routed.length),
          [key('RoutedRightRoutingShare')]: share(rightRouting.length, routed.length),
          [key('KeywordsContentFreeKeptShare')]: share(fallback.kept, contentFree.length),
          [key('KeywordsClearRoutedShare')]: share(fallback.routed, clear.length),
          [key('KeywordsRoutedRightShare')]: share(fallback.right, fallback.routed),
        });
      }
    }
    console.log(JSON.stringify(summary));
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode !== null ? r(undefined) : child.once('exit', r)));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Posts the texts (a few at a time) and waits for triage's decision on each. */
async function run(url: string, auth: Record<string, string>, channel: 'pos' | 'social', texts: readonly string[]): Promise<Outcome[]> {
  const outcomes: Outcome[] = new Array(texts.length);
  let next = 0;
  const worker = async () => {
    while (next < texts.length) {
      const i = next++;
      const posted = await postJson(`${url}/api/v1/messages`, {
        channel,
        source: 'bench-fixture',
        externalId: `${channel}-${i}-${Date.now()}`,
        text: texts[i],
        territory: 'Таганрог',
        createdAt: new Date().toISOString(),
      });
      if (posted.status !== 201) throw new Error(`POST → ${posted.status} ${JSON.stringify(posted.body)}`);
      for (let attempt = 0; ; attempt++) {
        const { body } = await getJson(`${url}/api/v1/messages/${posted.body.id}`, auth);
        if (body.status === 'assigned' || body.status === 'needs_triage') {
          const decided = [...body.history].reverse().find((h: { type: string }) => h.type === 'routed' || h.type === 'needs-triage');
          outcomes[i] = {
            status: body.status,
            categoryCode: body.category?.code ?? null,
            territoryId: body.territory?.id ?? null,
            noContent: /^Нет содержания/.test(decided?.reason ?? ''),
          };
          break;
        }
        if (attempt > 600) throw new Error(`message ${posted.body.id} not triaged`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return outcomes;
}

/** What triage does before a model is active: the no-content rule, then the keyword classifier. */
function keywordFallback(region: RegionCatalog, rubricator: 'pos' | 'im', contentFree: readonly string[], clear: readonly ClearText[]) {
  const routedCode = (text: string) => (region.contentFree.detect(text) ? undefined : region.classifier.classify(text, rubricator).confident?.code);
  const kept = contentFree.filter((t) => routedCode(t) === undefined).length;
  const codes = clear.map((c) => routedCode(c.text));
  const routed = codes.filter((c) => c !== undefined).length;
  const right = codes.filter((c, i) => c !== undefined && isRight(region, c, clear[i])).length;
  return { kept, routed, right };
}

function isRight(region: RegionCatalog, code: string | null | undefined, expected: ClearText): boolean {
  if (!code) return false;
  return code.startsWith('im.') ? region.category(code)?.group === expected.expected : code === expected.expected;
}

/**
 * Routed to the organization, under the clocks, that the expected category (for a social post: some
 * topic of the expected group) would get in the message's territory: what the decision is taken on.
 */
function isRightRouting(region: RegionCatalog, channel: 'pos' | 'social', outcome: Outcome, expected: ClearText): boolean {
  if (!outcome.categoryCode) return false;
  const rubricator = channel === 'pos' ? 'pos' : 'im';
  const territory = region.territory(outcome.territoryId) ?? undefined;
  const outcomes = routingOutcomes(region.data, rubricator, { territory, channel, importance: 'normal' });
  const wanted = region.data.categories
    .filter((c) => (rubricator === 'pos' ? c.code === expected.expected : c.group === expected.expected))
    .map((c) => outcomes[c.code]);
  return wanted.includes(outcomes[outcome.categoryCode]);
}

async function modelsActive(url: string, child: ChildProcess, errors: () => string): Promise<void> {
  const deadline = Date.now() + 600_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`standalone exited with ${child.exitCode}:\n${errors()}`);
    const res = await fetch(`${url}/health`).catch(() => undefined);
    const body = res?.status === 200 ? ((await res.json()) as { warnings: { id: string }[] }) : undefined;
    if (body && !body.warnings.some((w) => w.id.startsWith('classifier-'))) return;
    if (Date.now() > deadline) throw new Error(`models not active within 600 s:\n${errors()}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

const share = (a: number, b: number) => (b === 0 ? 0 : Math.round((a / b) * 1000) / 1000);
const percent = (a: number, b: number) => (b === 0 ? '—' : `${((a / b) * 100).toFixed(1)}%`);

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
