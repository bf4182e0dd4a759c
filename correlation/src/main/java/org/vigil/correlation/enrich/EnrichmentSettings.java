package org.vigil.correlation.enrich;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Where the enrichment reads what it adds to events, beyond the agencies file.
 *
 * @param assetsFile the asset inventory CSV ({@link AssetInventory}), or null for none
 * @param intelPaths threat-intel feed files and folders of them ({@link IndicatorFeed}); in a
 *     folder, the {@code .txt}, {@code .csv} and {@code .json} files not starting with a dot
 * @param reloadInterval how often, at most, each enrichment operator looks at the files'
 *     modification times; changed files are reloaded without a restart
 */
public record EnrichmentSettings(
    String assetsFile, List<String> intelPaths, Duration reloadInterval) implements Serializable {
  public static final Duration DEFAULT_RELOAD_INTERVAL = Duration.ofSeconds(30);

  public EnrichmentSettings {
    intelPaths = intelPaths == null ? List.of() : List.copyOf(intelPaths);
    Objects.requireNonNull(reloadInterval, "reloadInterval");
    if (reloadInterval.isNegative()) {
      throw new IllegalArgumentException("reload interval " + reloadInterval + " is negative");
    }
  }

  /** No assets, no feeds, the default reload interval. */
  public static EnrichmentSettings none() {
    return new EnrichmentSettings(null, List.of(), DEFAULT_RELOAD_INTERVAL);
  }

  public EnrichmentSettings withAssetsFile(String file) {
    return new EnrichmentSettings(file, intelPaths, reloadInterval);
  }

  public EnrichmentSettings withIntelPaths(List<String> paths) {
    return new EnrichmentSettings(assetsFile, paths, reloadInterval);
  }

  public EnrichmentSettings withReloadInterval(Duration interval) {
    return new EnrichmentSettings(assetsFile, intelPaths, interval);
  }
}
