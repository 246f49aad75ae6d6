import { FixedOffsetZone, ProductionCalendar, WorkingTime } from '@cur/calendar';
import {
  Category,
  ContentFreeDetector,
  KeywordClassifier,
  normalizeForMatching,
  Organization,
  RegionData,
  Router,
  Territory,
  TerritoryResolver,
} from '@cur/domain';

/** The region's data with the lookups and engines built from it once, at boot. */
export class RegionCatalog {
  readonly productionCalendar: ProductionCalendar;
  readonly zone: FixedOffsetZone;
  private readonly regionTime: WorkingTime;
  private readonly workingTimes = new Map<string, WorkingTime>();
  readonly router: Router;
  readonly classifier: KeywordClassifier;
  /** Tells texts with nothing to act on (thanks, «когда починят?», noise): those go to a person. */
  readonly contentFree: ContentFreeDetector;
  readonly territories: TerritoryResolver;
  private readonly categories = new Map<string, Category>();
  private readonly organizations = new Map<string, Organization>();
  private readonly organizationsByName = new Map<string, Organization>();
  private readonly posCategoriesByName = new Map<string, Category>();
  private readonly territoriesById = new Map<string, Territory>();

  constructor(readonly data: RegionData) {
    this.productionCalendar = new ProductionCalendar(data.calendar, {
      missingYear: data.calendarMissingYear,
      warn: (message) => console.warn(message),
    });
    this.zone = FixedOffsetZone.of(data.timezone, data.timezoneOffsetMinutes);
    this.regionTime = new WorkingTime(this.productionCalendar, data.officeSchedule, this.zone, data.deadlineSemantics);
    this.router = new Router(data.routingRules, data.organizations);
    this.classifier = new KeywordClassifier(data.categories, data.classifier);
    this.contentFree = new ContentFreeDetector(data.territories.flatMap((t) => [t.name, ...t.aliases]));
    this.territories = new TerritoryResolver(data.territories);
    for (const c of data.categories) {
      this.categories.set(c.code, c);
      const name = normalizeForMatching(c.name);
      if (c.rubricator === 'pos' && !this.posCategoriesByName.has(name)) this.posCategoriesByName.set(name, c);
    }
    for (const t of data.territories) this.territoriesById.set(t.id, t);
    for (const o of data.organizations) {
      this.organizations.set(o.id, o);
      for (const name of [o.name, ...o.aliases]) this.organizationsByName.set(normalizeForMatching(name), o);
    }
  }

  /**
   * Working time of an organization: its own office hours when it has them, else the region's.
   * Unknown or absent organization (a message still with ЦУР): the region's.
   */
  workingTime(organizationId?: string | null): WorkingTime {
    const organization = this.organization(organizationId);
    if (!organization?.officeSchedule) return this.regionTime;
    let time = this.workingTimes.get(organization.id);
    if (!time) {
      time = new WorkingTime(this.productionCalendar, organization.officeSchedule, this.zone, this.data.deadlineSemantics);
      this.workingTimes.set(organization.id, time);
    }
    return time;
  }

  category(code: string | null | undefined): Category | undefined {
    return code ? this.categories.get(code) : undefined;
  }

  /** A ПОС category named in an export, matched by name within the ПОС rubricator. */
  categoryByName(name: string | null | undefined): Category | undefined {
    if (!name) return undefined;
    // A map, not a scan: the ПОС import asks once per row (100,000 rows × 400 categories).
    return this.posCategoriesByName.get(normalizeForMatching(name));
  }

  organization(id: string | null | undefined): Organization | undefined {
    return id ? this.organizations.get(id) : undefined;
  }

  /** `{ id, name }` of an organization, for API answers; null when unknown. */
  named(id: string | null | undefined): { id: string; name: string } | null {
    const organization = this.organization(id);
    return organization ? { id: organization.id, name: organization.name } : null;
  }

  /** True when `id` is (transitively) subordinate to `ancestor`. */
  isBelow(id: string | null | undefined, ancestor: string | null | undefined): boolean {
    if (!id || !ancestor) return false;
    for (let current = this.organization(id)?.parentId; current; current = this.organization(current)?.parentId) if (current === ancestor) return true;
    return false;
  }

  /** An organization and every organization below it. */
  withSubordinates(id: string): string[] {
    const ids = [id];
    for (let i = 0; i < ids.length; i++) for (const o of this.data.organizations) if (o.parentId === ids[i] && !ids.includes(o.id)) ids.push(o.id);
    return ids;
  }

  organizationByName(name: string | null | undefined): Organization | undefined {
    return name ? this.organizationsByName.get(normalizeForMatching(name)) : undefined;
  }

  territory(id: string | null | undefined): Territory | undefined {
    return id ? this.territoriesById.get(id) : undefined;
  }
}
