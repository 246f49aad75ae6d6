import type { Catalog } from '@cur/contracts';
import type { PickerOption } from '../components/Picker';

const RUBRICATORS: Record<string, string> = { pos: 'Рубрикатор ПОС', im: 'Темы ИМ' };

/** Categories for a type-ahead, grouped by rubricator (only the given one when a channel decides it). */
export function categoryOptions(catalog: Catalog, rubricator?: string): PickerOption[] {
  return catalog.categories
    .filter((c) => !rubricator || c.rubricator === rubricator)
    .map((c) => ({ value: c.code, label: c.name, path: RUBRICATORS[c.rubricator] ?? c.rubricator, group: c.rubricator }));
}

/** Organizations with their place in the tree («Министерство › Учреждение»), in tree order. */
export function organizationOptions(catalog: Catalog): PickerOption[] {
  const byId = new Map(catalog.organizations.map((o) => [o.id, o]));
  const pathOf = (id: string | null, seen = new Set<string>()): string[] => {
    const o = id ? byId.get(id) : undefined;
    if (!o || seen.has(o.id)) return [];
    seen.add(o.id);
    return [...pathOf(o.parentId, seen), o.name];
  };
  return catalog.organizations
    .map((o) => {
      const path = pathOf(o.id);
      return { option: { value: o.id, label: o.name, path: path.length > 1 ? path.slice(0, -1).join(' › ') : undefined }, sortKey: path.join('\u0000') };
    })
    .sort((a, b) => a.sortKey.localeCompare(b.sortKey, 'ru'))
    .map((o) => o.option);
}

export function territoryOptions(catalog: Catalog): PickerOption[] {
  return catalog.territories.map((t) => ({ value: t.id, label: t.name }));
}

export const categoryName = (catalog: Catalog, code: string) => catalog.categories.find((c) => c.code === code)?.name ?? code;
