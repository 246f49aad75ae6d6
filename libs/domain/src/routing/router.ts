import { Category, Organization, RoutingRule, Territory } from '../region/region-data';

export const TERRITORY_ADMINISTRATION = '$territory';

export interface RoutingDecision {
  organizationId: string;
  ruleId: string;
}

/**
 * Picks the responsible organization for category × territory. A rule naming the territory beats a
 * region-wide one; a rule naming the exact category beats one naming its group.
 */
export class Router {
  private readonly administrationByTerritory = new Map<string, string>();

  constructor(
    private readonly rules: readonly RoutingRule[],
    organizations: readonly Organization[],
  ) {
    for (const org of organizations) {
      if (org.kind === 'municipality' && org.territoryId) this.administrationByTerritory.set(org.territoryId, org.id);
    }
  }

  route(category: Category, territory: Territory | undefined): RoutingDecision | undefined {
    let best: { rule: RoutingRule; specificity: number } | undefined;
    for (const rule of this.rules) {
      const byCategory = rule.categories.includes(category.code);
      const byGroup = !byCategory && category.group !== undefined && rule.groups.includes(category.group);
      if (!byCategory && !byGroup) continue;
      const territorial = rule.territories.length > 0;
      if (territorial && (!territory || !rule.territories.includes(territory.id))) continue;
      const specificity = (territorial ? 2 : 0) + (byCategory ? 1 : 0);
      if (!best || specificity > best.specificity) best = { rule, specificity };
    }
    if (!best) return undefined;
    if (best.rule.organization !== TERRITORY_ADMINISTRATION) {
      return { organizationId: best.rule.organization, ruleId: best.rule.id };
    }
    const administration = territory && this.administrationByTerritory.get(territory.id);
    return administration ? { organizationId: administration, ruleId: best.rule.id } : undefined;
  }
}
