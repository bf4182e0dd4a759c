package org.vigil.correlation.enrich;

import java.io.Serializable;
import java.util.Objects;

/**
 * One inventory row: the agency a network belongs to and, where known, what the asset is.
 *
 * @param agency the agency's id ({@code organization.id}); never null
 * @param name the asset's name, e.g. {@code dc01.health.example}, or null
 * @param owner who answers for it, e.g. a team or a person, or null
 * @param criticality how much it matters, or null when not rated
 */
public record Asset(String agency, String name, String owner, AssetCriticality criticality)
    implements Serializable {
  public Asset {
    Objects.requireNonNull(agency, "agency");
  }

  /** A row of an agencies file: the agency and nothing about the asset. */
  public static Asset ofAgency(String agency) {
    return new Asset(agency, null, null, null);
  }

  /** True when the row says anything about the asset beyond its agency. */
  public boolean describesAsset() {
    return name != null || owner != null || criticality != null;
  }
}
