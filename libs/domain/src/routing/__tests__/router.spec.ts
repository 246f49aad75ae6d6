import { Category, Organization, RoutingRule, Territory } from '../../region/region-data';
import { Router, TERRITORY_ADMINISTRATION } from '../router';

const territory = (id: string, name: string): Territory => ({ id, name, kind: 'city_district', aliases: [] });
const taganrog = territory('taganrog', 'Таганрог');
const azov = territory('azov', 'Азов');
const bataysk = territory('bataysk', 'Батайск'); // no administration in the org list below

const organizations: Organization[] = [
  { id: 'cur', name: 'ЦУР', kind: 'cur', aliases: [] },
  { id: 'min-health', name: 'Минздрав', kind: 'executive_body', aliases: [] },
  { id: 'min-transport', name: 'Минтранс', kind: 'executive_body', aliases: [] },
  { id: 'polyclinic-taganrog', name: 'Поликлиника № 1 Таганрога', kind: 'institution', parentId: 'min-health', territoryId: 'taganrog', aliases: [] },
  { id: 'adm-taganrog', name: 'Администрация Таганрога', kind: 'municipality', territoryId: 'taganrog', aliases: [] },
  { id: 'adm-azov', name: 'Администрация Азова', kind: 'municipality', territoryId: 'azov', aliases: [] },
];

const category = (code: string, group?: string): Category => ({ code, name: code, rubricator: group ? 'im' : 'pos', group, keywords: [] });
const medicine = category('pos.medicine');
const potholes = category('im.dorogi.01', 'Дороги');
const bridges = category('im.dorogi.08', 'Дороги');
const clinics = category('im.zdrav.01', 'Здравоохранение');
const stray = category('pos.stray-animals');

const rule = (id: string, organization: string, over: Partial<RoutingRule> = {}): RoutingRule => ({
  id,
  organization,
  categories: [],
  groups: [],
  territories: [],
  ...over,
});

describe('Router', () => {
  describe('territory-specific beats region-wide', () => {
    const router = new Router(
      [
        rule('medicine', 'min-health', { categories: ['pos.medicine'] }),
        rule('medicine-taganrog', 'polyclinic-taganrog', { categories: ['pos.medicine'], territories: ['taganrog'] }),
      ],
      organizations,
    );

    it('sends a Taganrog medicine message to the Taganrog polyclinic', () => {
      expect(router.route(medicine, taganrog)).toEqual({ organizationId: 'polyclinic-taganrog', ruleId: 'medicine-taganrog' });
    });

    it('sends a medicine message from elsewhere to the ministry', () => {
      expect(router.route(medicine, azov)).toEqual({ organizationId: 'min-health', ruleId: 'medicine' });
    });

    it('sends a medicine message without a territory to the ministry', () => {
      expect(router.route(medicine, undefined)).toEqual({ organizationId: 'min-health', ruleId: 'medicine' });
    });

    it('does not depend on the order of the rules', () => {
      const reversed = new Router(
        [
          rule('medicine-taganrog', 'polyclinic-taganrog', { categories: ['pos.medicine'], territories: ['taganrog'] }),
          rule('medicine', 'min-health', { categories: ['pos.medicine'] }),
        ],
        organizations,
      );
      expect(reversed.route(medicine, taganrog)?.ruleId).toBe('medicine-taganrog');
      expect(reversed.route(medicine, azov)?.ruleId).toBe('medicine');
    });

    it('a territorial group rule beats a region-wide exact-category rule', () => {
      const router2 = new Router(
        [
          rule('clinics-exact', 'min-health', { categories: ['im.zdrav.01'] }),
          rule('health-taganrog', 'polyclinic-taganrog', { groups: ['Здравоохранение'], territories: ['taganrog'] }),
        ],
        organizations,
      );
      expect(router2.route(clinics, taganrog)?.ruleId).toBe('health-taganrog');
      expect(router2.route(clinics, azov)?.ruleId).toBe('clinics-exact');
    });
  });

  describe('exact category beats group', () => {
    const router = new Router(
      [rule('roads-exact', 'min-transport', { categories: ['im.dorogi.08'] }), rule('roads-group', TERRITORY_ADMINISTRATION, { groups: ['Дороги'] })],
      organizations,
    );

    it('bridges (named exactly) go to the ministry of transport', () => {
      expect(router.route(bridges, azov)).toEqual({ organizationId: 'min-transport', ruleId: 'roads-exact' });
    });

    it('other road topics follow the group rule', () => {
      expect(router.route(potholes, azov)).toEqual({ organizationId: 'adm-azov', ruleId: 'roads-group' });
    });

    it('holds whichever rule comes first', () => {
      const reversed = new Router(
        [rule('roads-group', TERRITORY_ADMINISTRATION, { groups: ['Дороги'] }), rule('roads-exact', 'min-transport', { categories: ['im.dorogi.08'] })],
        organizations,
      );
      expect(reversed.route(bridges, azov)?.ruleId).toBe('roads-exact');
    });
  });

  describe('"$territory"', () => {
    const router = new Router([rule('stray-municipal', TERRITORY_ADMINISTRATION, { categories: ['pos.stray-animals'] })], organizations);

    it('resolves to the administration of the message’s territory', () => {
      expect(router.route(stray, taganrog)).toEqual({ organizationId: 'adm-taganrog', ruleId: 'stray-municipal' });
      expect(router.route(stray, azov)).toEqual({ organizationId: 'adm-azov', ruleId: 'stray-municipal' });
    });

    it('does not take an institution located in the territory for its administration', () => {
      expect(router.route(stray, taganrog)?.organizationId).not.toBe('polyclinic-taganrog');
    });

    it('gives no decision without a territory (an operator must pick it)', () => {
      expect(router.route(stray, undefined)).toBeUndefined();
    });

    it('gives no decision for a territory without an administration in the config', () => {
      expect(router.route(stray, bataysk)).toBeUndefined();
    });
  });

  describe('no matching rule', () => {
    const router = new Router(
      [
        rule('medicine', 'min-health', { categories: ['pos.medicine'] }),
        rule('roads-taganrog', 'adm-taganrog', { groups: ['Дороги'], territories: ['taganrog'] }),
      ],
      organizations,
    );

    it('gives no decision for a category no rule names', () => {
      expect(router.route(stray, taganrog)).toBeUndefined();
    });

    it('gives no decision when the only rule is for another territory', () => {
      expect(router.route(potholes, azov)).toBeUndefined();
    });

    it('gives no decision when the only rule is territorial and the territory is unknown', () => {
      expect(router.route(potholes, undefined)).toBeUndefined();
    });

    it('does not match a group rule for a category without a group', () => {
      const router2 = new Router([rule('any-roads', 'min-transport', { groups: ['Дороги'] })], organizations);
      expect(router2.route(category('pos.roads'), azov)).toBeUndefined();
    });
  });
});
