package org.vigil.dashboards.reports;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vigil.rules.engine.RuleCompilationException;
import org.vigil.rules.engine.RuleDefinition;
import org.vigil.rules.engine.RulePack;
import org.vigil.rules.engine.RuleRelease;

/**
 * Which rules were deployed when, from the releases of {@code vigil.rules}: the rules active at an
 * instant are those of each ruleset's newest release deployed by then; ruleset {@code vigil} runs
 * the shipped pack until its first release.
 */
public final class RuleTimeline {
  /** The order releases took effect: by deploy time, then version. */
  static final Comparator<RuleRelease> DEPLOY_ORDER =
      Comparator.comparing(RuleRelease::deployedAt).thenComparingInt(RuleRelease::version);

  private final List<RuleRelease> releases;

  /**
   * @param releases every release of every ruleset, in any order
   */
  public RuleTimeline(List<RuleRelease> releases) {
    this.releases = releases.stream().sorted(DEPLOY_ORDER).toList();
  }

  /** The releases deployed in {@code [from, to)}, oldest first. */
  public List<RuleRelease> deployedBetween(Instant from, Instant to) {
    return releases.stream()
        .filter(r -> !r.deployedAt().isBefore(from) && r.deployedAt().isBefore(to))
        .toList();
  }

  /**
   * The rules active at {@code at}, by rule id, in ruleset then file order.
   *
   * @throws IllegalStateException when a stored release does not compile ({@link #compiled})
   */
  public Map<String, RuleDefinition> activeAt(Instant at) {
    Map<String, RuleRelease> newest = new LinkedHashMap<>();
    for (RuleRelease release : releases) {
      if (!release.deployedAt().isAfter(at)) {
        newest.put(release.ruleset(), release);
      }
    }
    List<RulePack> packs = new ArrayList<>();
    if (!newest.containsKey(RulePack.BUILT_IN_ID)) {
      packs.add(RulePack.builtIn());
    }
    for (RuleRelease release : newest.values()) {
      packs.add(compiled(release));
    }
    Map<String, RuleDefinition> active = new LinkedHashMap<>();
    for (RulePack pack : packs) {
      for (RuleDefinition rule : pack.rules()) {
        active.put(rule.id(), rule);
      }
    }
    return active;
  }

  /**
   * The release's pack.
   *
   * @throws IllegalStateException when it does not compile: the job refused it too, so a report
   *     cannot say which rules it held, and says so rather than guess
   */
  static RulePack compiled(RuleRelease release) {
    try {
      return release.compile();
    } catch (RuleCompilationException e) {
      throw new IllegalStateException(
          "release "
              + release.ruleset()
              + "@"
              + release.version()
              + " does not compile, so the rules it held cannot be listed: "
              + e.getMessage(),
          e);
    }
  }
}
