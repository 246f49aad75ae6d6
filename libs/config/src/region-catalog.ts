import {
  Category,
  KeywordClassifier,
  normalizeForMatching,
  Organization,
  RegionData,
  Router,
  Territory,
  TerritoryResolver,
  WorkingCalendar,
} from '@cur/domain';

/** The region's data with the lookups and engines built from it once, at boot. */
export class RegionCatalog {
  readonly calendar: WorkingCalendar;
  readonly router: Router;
  readonly classifier: KeywordClassifier;
  readonly territories: TerritoryResolver;
  private readonly categories = new Map<string, Category>();
  private readonly organizations = new Map<string, Organization>();
  private readonly organizationsByName = new Map<string, Organization>();
  private readonly territoriesById = new Map<string, Territory>();

  constructor(readonly data: RegionData) {
    this.calendar = new WorkingCalendar(data.calendar, data.calendarYears, data.officeHours, data.timezoneOffsetMinutes);
    this.router = new Router(data.routingRules, data.organizations);
    this.classifier = new KeywordClassifier(data.categories, data.classifier);
    this.territories = new TerritoryResolver(data.territories);
    for (const c of data.categories) this.categories.set(c.code, c);
    for (const t of data.territories) this.territoriesById.set(t.id, t);
    for (const o of data.organizations) {
      this.organizations.set(o.id, o);
      for (const name of [o.name, ...o.aliases]) this.organizationsByName.set(normalizeForMatching(name), o);
    }
  }

  category(code: string | null | undefined): Category | undefined {
    return code ? this.categories.get(code) : undefined;
  }

  /** A ПОС category named in an export, matched by name within the ПОС rubricator. */
  categoryByName(name: string | null | undefined): Category | undefined {
    if (!name) return undefined;
    const wanted = normalizeForMatching(name);
    return this.data.categories.find((c) => c.rubricator === 'pos' && normalizeForMatching(c.name) === wanted);
  }

  organization(id: string | null | undefined): Organization | undefined {
    return id ? this.organizations.get(id) : undefined;
  }

  organizationByName(name: string | null | undefined): Organization | undefined {
    return name ? this.organizationsByName.get(normalizeForMatching(name)) : undefined;
  }

  territory(id: string | null | undefined): Territory | undefined {
    return id ? this.territoriesById.get(id) : undefined;
  }
}
