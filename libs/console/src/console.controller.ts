import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Controller, Get, Header, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { RegionCatalog } from '@cur/config';
import type { Catalog, CategoryNode, RoutingRuleView } from '@cur/contracts';
import {
  Category,
  CHANNEL_TITLES,
  CLOCK_STATE_TITLES,
  CLOCK_TITLES,
  HISTORY_TITLES,
  IMPORTANCE_TITLES,
  MESSAGE_ACTIONS,
  ORGANIZATION_KIND_TITLES,
  ROLE_TITLES,
  RUBRICATOR_TITLES,
  Rubricator,
  STATUS_TITLES,
  SYSTEM_ACTOR_NAMES,
} from '@cur/domain';
import { DomainException, ErrorCode, Public, Roles, SignedIn } from '@cur/platform';

/** The console's files (plain HTML, CSS and JS; no build step), copied next to the compiled code by `npm run build`. */
const ASSETS = join(__dirname, 'assets');
/**
 * Apache ECharts, the charting library, from its npm package: served by this service itself, as
 * the content security policy allows scripts from nowhere else (and no CDN is reachable here).
 */
const VENDOR: Record<string, string> = { 'echarts.min.js': require.resolve('echarts/dist/echarts.min.js') };
const TYPES: Record<string, string> = {
  'console.js': 'text/javascript; charset=utf-8',
  'console.css': 'text/css; charset=utf-8',
  'echarts.min.js': 'text/javascript; charset=utf-8',
};

@Controller()
export class ConsoleController {
  private readonly page: string;
  private readonly files = new Map<string, string>();

  constructor(private readonly region: RegionCatalog) {
    const name = region.data.name.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
    this.page = readFileSync(join(ASSETS, 'index.html'), 'utf8').replaceAll('{{REGION}}', name);
    for (const file of Object.keys(TYPES)) this.files.set(file, readFileSync(VENDOR[file] ?? join(ASSETS, file), 'utf8'));
  }

  /** The console (Russian); it asks to sign in. */
  @Get()
  @Public()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-cache')
  index(): string {
    return this.page;
  }

  @Get('console/:file')
  @Public()
  @Header('Cache-Control', 'no-cache')
  @Header('X-Content-Type-Options', 'nosniff')
  asset(@Param('file') file: string, @Res({ passthrough: true }) response: Response): string {
    const body = this.files.get(file);
    if (!body) throw new DomainException(ErrorCode.NotFound, 'Нет такого файла');
    response.setHeader('Content-Type', TYPES[file]);
    return body;
  }
}

/**
 * The region's names for screens: categories (flat and as a tree), territories, organizations
 * (with their parent and kind, for a tree), and the Russian titles of every code the API returns
 * (statuses, channels, actions, history entries, clocks, roles, system actors), so that no screen
 * keeps its own copy of them.
 */
@Controller('api/v1/catalog')
export class CatalogController {
  constructor(private readonly region: RegionCatalog) {}

  @Get()
  @SignedIn()
  catalog(): Catalog {
    const d = this.region.data;
    return {
      region: { code: d.code, name: d.name },
      categories: d.categories.map((c) => ({ code: c.code, name: c.name, rubricator: c.rubricator, group: c.group ?? null })),
      categoryTree: categoryTree(d.categories),
      territories: d.territories.map((t) => ({ id: t.id, name: t.name })),
      organizations: d.organizations.map((o) => ({
        id: o.id,
        name: o.name,
        parentId: o.parentId ?? null,
        kind: o.kind,
        territoryId: o.territoryId ?? null,
      })),
      organizationKinds: ORGANIZATION_KIND_TITLES,
      statuses: STATUS_TITLES,
      channels: CHANNEL_TITLES,
      importances: IMPORTANCE_TITLES,
      actions: Object.fromEntries(Object.entries(MESSAGE_ACTIONS).map(([name, rule]) => [name, rule.title])),
      historyTypes: HISTORY_TITLES,
      clockKinds: CLOCK_TITLES,
      clockStates: CLOCK_STATE_TITLES,
      roles: ROLE_TITLES,
      systemActors: SYSTEM_ACTOR_NAMES,
    };
  }
}

/** The route table: which organization gets a category's messages, by territory (read-only; it is region data). */
@Controller('api/v1/routing')
export class RoutingController {
  constructor(private readonly region: RegionCatalog) {}

  @Get('rules')
  @Roles('admin', 'supervisor', 'operator')
  rules(): RoutingRuleView[] {
    return this.region.data.routingRules.map((r) => ({
      id: r.id,
      categories: r.categories.map((code) => ({ code, name: this.region.category(code)?.name ?? code })),
      groups: r.groups,
      territories: r.territories.map((id) => ({ id, name: this.region.territory(id)?.name ?? id })),
      organization: r.organization === '$territory' ? null : this.region.named(r.organization),
      toTerritoryAdministration: r.organization === '$territory',
    }));
  }
}

/** Rubricator → group (where the rubricator has groups) → category, in the configuration's order. */
function categoryTree(categories: readonly Category[]): CategoryNode[] {
  const roots = new Map<Rubricator, CategoryNode>();
  const groups = new Map<string, CategoryNode>();
  for (const c of categories) {
    let root = roots.get(c.rubricator);
    if (!root) {
      root = { id: `rubricator:${c.rubricator}`, name: RUBRICATOR_TITLES[c.rubricator], code: null, children: [] };
      roots.set(c.rubricator, root);
    }
    let parent = root;
    if (c.group) {
      const id = `group:${c.rubricator}:${c.group}`;
      let group = groups.get(id);
      if (!group) {
        group = { id, name: c.group, code: null, children: [] };
        groups.set(id, group);
        root.children.push(group);
      }
      parent = group;
    }
    parent.children.push({ id: c.code, name: c.name, code: c.code, children: [] });
  }
  return [...roots.values()];
}
