import { Controller, Get } from '@nestjs/common';
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
import { Roles, SignedIn } from '@cur/platform';

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
