package org.vigil.dashboards;

import java.util.Collection;
import java.util.Set;

/**
 * Which agencies' alerts a caller may see.
 *
 * @param unrestricted every agency, including alerts without an {@code organization.id}
 * @param organizationIds the visible agencies when not unrestricted; empty then means none
 */
public record AgencyScope(boolean unrestricted, Set<String> organizationIds) {

  private static final AgencyScope ALL = new AgencyScope(true, Set.of());

  public AgencyScope {
    organizationIds = organizationIds == null ? Set.of() : Set.copyOf(organizationIds);
  }

  public static AgencyScope all() {
    return ALL;
  }

  public static AgencyScope only(Collection<String> organizationIds) {
    return new AgencyScope(false, Set.copyOf(organizationIds));
  }

  public boolean permits(String organizationId) {
    return unrestricted || (organizationId != null && organizationIds.contains(organizationId));
  }
}
