import { RegionCatalog } from '@cur/config';
import { DomainException, ErrorCode, hasRole, Principal } from '@cur/platform';

/**
 * Whose figures a reader of the reports may ask for, in one place for the summary, its drill-down
 * and the dashboard: supervisors any organization or the region (null); a head its own organization
 * (with its subordinates; the default), 403 for another; no one else. An unknown organization is a
 * 400 naming the field.
 */
export function reportScope(region: RegionCatalog, requested: string | undefined, by: Principal, what: { own: string; none: string }): string | null {
  if (requested !== undefined && !region.organization(requested))
    throw new DomainException(ErrorCode.ValidationFailed, 'Неизвестная организация', [{ field: 'organizationId', message: `нет организации «${requested}»` }]);
  if (hasRole(by, 'supervisor')) return requested ?? null;
  if (hasRole(by, 'head') && by.organizationId) {
    if (requested !== undefined && requested !== by.organizationId)
      throw new DomainException(ErrorCode.Forbidden, what.own, [{ field: 'organizationId', message: 'только ваша организация' }]);
    return by.organizationId;
  }
  throw new DomainException(ErrorCode.Forbidden, what.none);
}
